// The parts of CodeMirror 6 the nipa-kg query page uses, exposed as one global, window.CodeMirror.
export { EditorState } from "@codemirror/state";
export { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, drawSelection, placeholder } from "@codemirror/view";
export { history, defaultKeymap, historyKeymap } from "@codemirror/commands";
export { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput } from "@codemirror/language";
export { sparql } from "@codemirror/legacy-modes/mode/sparql";
