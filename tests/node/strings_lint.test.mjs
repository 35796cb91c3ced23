// Every string a person reads in the page comes from the string table (web/strings.hpp), so it has its Simplified
// Chinese. This lint reads the page's C++ sources and fails on a string literal with a word in it (two or more
// letters) handed straight to a call that draws text: ImGui's text, button, menu, tooltip, header, tab and field
// calls, the draw list's AddText, and the page's own helpers that draw or show their argument. Literals that are
// only an ImGui id ("##speed", the id after "###" in labelled(StrId::x, "id")), printf conversions ("%s", "%.1f"),
// symbols, single letters (a key such as "R") or numbers pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './helpers.mjs';

// Files (or folders, ending in "/") whose strings are still being moved into the table by someone else. Delete an
// entry once its file is migrated: the last test below fails while an entry is listed but has nothing left to fix.
const NOT_YET_MIGRATED = [];

// Calls whose string arguments a person reads.
const IMGUI_TEXT_CALLS = [
  'Text', 'TextUnformatted', 'TextWrapped', 'TextDisabled', 'TextColored', 'BulletText', 'LabelText', 'SeparatorText',
  // (InvisibleButton is left out: its label is only an id, never drawn.)
  'Button', 'SmallButton', 'ArrowButton', 'MenuItem', 'BeginMenu', 'Checkbox', 'CheckboxFlags',
  'Selectable', 'SetTooltip', 'CollapsingHeader', 'TreeNode', 'TreeNodeEx', 'BeginTabItem', 'TabItemButton',
  'RadioButton', 'Combo', 'BeginCombo', 'ListBox', 'BeginListBox', 'InputText', 'InputTextMultiline',
  'InputTextWithHint', 'InputFloat', 'InputInt', 'InputDouble', 'SliderFloat', 'SliderInt', 'SliderAngle',
  'DragFloat', 'DragFloat2', 'DragInt', 'DragFloatRange2', 'ColorEdit3', 'ColorEdit4', 'ColorButton', 'PlotLines',
  'PlotHistogram', 'ProgressBar', 'Begin', 'BeginPopupModal', 'TableSetupColumn', 'AddText',
];
// The page's own functions that draw or show the text they are given.
const PAGE_TEXT_CALLS = ['cell', 'set_message', 'section_header', 'help_marker'];

const CALL = new RegExp(
  `(?:(?:ImGui::|->)(?:${IMGUI_TEXT_CALLS.join('|')})|\\b(?:${PAGE_TEXT_CALLS.join('|')}))\\s*\\(`, 'g');
const CONVERSION = /%[-+ #0]*[0-9*]*(\.[0-9*]+)?(hh|h|ll|l|z|j|t)?[diouxXfFeEgGcspn%]/g;
const ESCAPE = /\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]+|.)/g;

// The source with comments blanked out (string and character literals kept, line breaks kept for line numbers).
export function stripComments(source) {
  let out = '';
  for (let i = 0; i < source.length;) {
    const c = source[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// The text between the call's opening parenthesis (at `open`) and its matching close.
function callArguments(source, open) {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return source.slice(open + 1, i);
  }
  return source.slice(open + 1);
}

// True when a literal's text (without its quotes) is something a person reads as a word.
export function hasWords(literal) {
  const shown = literal.split('##')[0].replace(ESCAPE, ' ').replace(CONVERSION, ' ');
  return /[A-Za-z]{2,}/.test(shown);
}

// Every literal with words handed to a text-drawing call: [{line, call, literal}].
export function findLiterals(source) {
  const code = stripComments(source);
  const found = [];
  for (const match of code.matchAll(CALL)) {
    const open = match.index + match[0].length - 1;
    // The id given to labelled() is an ImGui id, not text.
    const args = callArguments(code, open).replace(/labelled\(\s*StrId::\w+\s*,\s*"(?:[^"\\]|\\.)*"\s*\)/g, '');
    for (const literal of args.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) {
      if (!hasWords(literal[1])) continue;
      const line = code.slice(0, match.index).split('\n').length;
      found.push({ line, call: match[0].replace(/\s*\($/, ''), literal: literal[1] });
    }
  }
  return found;
}

function pageSources(dir = join(root, 'web')) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...pageSources(path));
    else if (/\.(cpp|hpp)$/.test(name)) files.push(relative(root, path).split('\\').join('/'));
  }
  return files;
}

const excluded = (file) => NOT_YET_MIGRATED.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry));

test('the lint finds literals with words in text-drawing calls, and lets ids and formats pass', () => {
  const sample = [
    'ImGui::Button("Crash");',
    'if (ImGui::IsItemHovered()) ImGui::SetTooltip(open ? "Fold it" : "%s", x);',
    'ImGui::DragFloat("ms##pause", &v);',
    'draw->AddText(at, colour, "label");',
    'set_message("Loaded " + name, false);',
    '// ImGui::Text("in a comment");',
    'ImGui::Text("%s %s", a, b); ImGui::Button("##fold"); ImGui::Text("#%d", k); ImGui::MenuItem(x, "R");',
    'ImGui::TextColored(c, "\\u25A0 %.1f\\u00d7", f); ImGui::SliderFloat("##t", &v, 0, 1, "%.1fx");',
    'ImGui::BeginTabItem(labelled(StrId::tab_log, "Log").c_str());',
  ].join('\n');
  const found = findLiterals(sample).map((f) => `${f.line}:${f.literal}`);
  assert.deepEqual(found, ['1:Crash', '2:Fold it', '3:ms##pause', '4:label', '5:Loaded ']);
});

test('the page draws no literal text outside the string table', () => {
  const problems = [];
  for (const file of pageSources()) {
    if (excluded(file)) continue;
    for (const f of findLiterals(readFileSync(join(root, file), 'utf8')))
      problems.push(`${file}:${f.line}: ${f.call}("${f.literal}") - make it a row of web/i18n/strings_*.inc`);
  }
  assert.deepEqual(problems, []);
});

test('every entry of NOT_YET_MIGRATED still has literals to move (delete it once it has none)', () => {
  for (const entry of NOT_YET_MIGRATED) {
    const files = pageSources().filter((file) => excluded(file) && (entry.endsWith('/') ? file.startsWith(entry) : file === entry));
    assert.ok(files.length > 0, `${entry} matches no file`);
    const left = files.reduce((n, file) => n + findLiterals(readFileSync(join(root, file), 'utf8')).length, 0);
    assert.ok(left > 0, `${entry} has no literal text left: delete it from NOT_YET_MIGRATED`);
  }
});
