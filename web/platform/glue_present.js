// The page side of showing a run to others, linked into playground.js with --post-js (it shares the module's scope):
//  - the spoken report: a visually hidden DOM region that screen readers read, mirroring the run's key figures, the
//    exercise's goal statuses (an aria-live list, so a goal passing or failing is announced) and the latest
//    event-log lines. The text comes from the app (pg_spoken_json, web/panels/spoken.cpp), in the page's language;
//  - the keyboard's controls: buttons for the transport, the views and the File actions, first in the Tab order;
//  - window.playground's calls for presentation mode and the embed snippet (docs/embedding.md).
(function () {
  'use strict';
  function up() { return runtimeInitialized && !ABORT; }
  if (typeof document === 'undefined') return;

  // ---- the spoken report ----
  var spokenRefreshMs = 500;   // twice a second: current enough to follow, calm enough not to chatter
  // Out of sight but in the accessibility tree: display:none or visibility:hidden would hide it from readers too.
  var hiddenStyle = 'position:absolute;left:0;top:0;width:1px;height:1px;margin:-1px;padding:0;border:0;' +
                    'overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap';
  var spoken = null;

  function add(parent, tag, id) {
    var node = document.createElement(tag);
    if (id) node.id = id;
    parent.appendChild(node);
    return node;
  }

  function buildSpoken() {
    var region = add(document.body, 'section', 'spoken-report');
    region.style.cssText = hiddenStyle;
    region.setAttribute('aria-labelledby', 'spoken-title');
    var parts = { region: region, title: add(region, 'h2', 'spoken-title'), figures: add(region, 'ul', 'spoken-figures'),
                  goalsTitle: add(region, 'h2', 'spoken-goals-title'), goals: add(region, 'ul', 'spoken-goals'),
                  logTitle: add(region, 'h2', 'spoken-log-title'), log: add(region, 'ul', 'spoken-log') };
    parts.goals.setAttribute('aria-live', 'polite');
    return parts;
  }

  // Rewrites only the lines that changed, so a live list announces what changed and nothing else.
  function setLines(list, lines) {
    lines = lines || [];
    while (list.children.length > lines.length) list.removeChild(list.lastChild);
    lines.forEach(function (line, i) {
      var item = list.children[i] || add(list, 'li');
      if (item.textContent !== line) item.textContent = line;
    });
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  // ---- the keyboard's controls: a row of real buttons, first in the Tab order, named in the page's language ----
  // The canvas cannot be tabbed through, and Emscripten's GLFW swallows Tab, so a Tab outside a text field moves the
  // focus here; the row is out of sight until one of its buttons has the focus, then shown over the page's top left.
  var shownStyle = 'position:fixed;left:8px;top:8px;z-index:9;padding:6px;background:#1d2330;border:2px solid #7aa7ff;' +
                   'display:flex;gap:6px;flex-wrap:wrap;max-width:calc(100% - 32px)';
  var controls = null;

  function act(action) {
    var p = window['playground'];
    if (action === 'play') { if (p.state() === 'playing') p.pause(); else p.play(); }
    else if (action === 'step') p.step();
    else if (action === 'reset') p.reset();
    else if (action === 'end') p.runToEnd();
    else if (action === 'link') p.copyLink();
    else if (action === 'qr') p.showQr();
    else if (action === 'embed') p.copyEmbedCode();
    else if (action.indexOf('view:') === 0) p.selectView(action.slice(5));
  }

  function buildControls() {
    var nav = document.createElement('nav');
    nav.id = 'keyboard-controls';
    nav.style.cssText = hiddenStyle;
    document.body.insertBefore(nav, document.body.firstChild);
    nav.addEventListener('focusin', function () { nav.style.cssText = shownStyle; });
    nav.addEventListener('focusout', function (event) {
      if (!nav.contains(event.relatedTarget)) nav.style.cssText = hiddenStyle;
    });
    return nav;
  }

  // Keys pressed on a button are the button's (Enter, Space, Tab between buttons), never the app's shortcuts; Esc
  // gives the keyboard back to the app. Listening on window while capturing, added before the app starts, comes
  // before GLFW's own listener there (which would cancel Tab).
  function onKey(event) {
    if (!controls || !controls.children.length) return;
    if (controls.contains(document.activeElement)) {
      event.stopImmediatePropagation();
      if (event.type === 'keydown' && event.key === 'Escape') document.activeElement.blur();
    } else if (event.type === 'keydown' && event.key === 'Tab' &&
               !(up() && Module['ccall']('pg_wants_text_input', 'number', [], []) === 1)) {   // ImGui's own fields
      event.preventDefault();
      event.stopImmediatePropagation();
      controls.children[event.shiftKey ? controls.children.length - 1 : 0].focus();
    }
  }
  ['keydown', 'keyup', 'keypress'].forEach(function (type) { window.addEventListener(type, onKey, true); });

  function setControls(title, list) {
    if (!controls) controls = buildControls();
    if (controls.getAttribute('aria-label') !== title) controls.setAttribute('aria-label', title);
    (list || []).forEach(function (entry, i) {
      var button = controls.children[i];
      if (!button) {
        button = add(controls, 'button');
        button.type = 'button';
        button.dataset.action = entry[0];
        button.addEventListener('click', function () { act(this.dataset.action); refreshSpoken(); });
      }
      setText(button, entry[1]);
    });
  }

  function refreshSpoken() {
    if (!up() || !Module['ccall']('pg_frames', 'number', [], [])) return;
    var report = JSON.parse(Module['ccall']('pg_spoken_json', 'string', [], []) || '{}');
    if (!spoken) spoken = buildSpoken();
    if (report.lang && spoken.region.lang !== report.lang) spoken.region.lang = report.lang;
    setText(spoken.title, report.title || '');
    setText(spoken.goalsTitle, report.goals_title || '');
    setText(spoken.logTitle, report.log_title || '');
    var hasGoals = !!(report.goals && report.goals.length);
    spoken.goalsTitle.hidden = !hasGoals;
    setLines(spoken.figures, report.figures);
    setLines(spoken.goals, report.goals);
    setLines(spoken.log, report.log);
    setControls(report.controls_title || '', report.controls);
  }
  setInterval(refreshSpoken, spokenRefreshMs);

  // ---- presentation mode and embedding, on window.playground (made by glue.js, linked before this file) ----
  var playground = window['playground'];
  if (!playground) return;
  function call(name, returnType, argTypes, args) {
    return up() ? Module['ccall'](name, returnType, argTypes || [], args || []) : undefined;
  }
  /** presentation mode (key F): larger text, no menu bar, no side panels */
  playground.presenting = function () { return !!call('pg_presenting', 'number'); };
  playground.setPresenting = function (on) { call('pg_set_presenting', null, ['number'], [on ? 1 : 0]); };
  /** the iframe snippet File > Copy embed code copies: the current view and time, read-only */
  playground.embedCode = function () { return call('pg_embed_code', 'string') || ''; };
  playground.copyEmbedCode = function () { call('pg_copy_embed_code', null); return playground.lastCopied(); };
})();
