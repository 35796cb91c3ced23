// The page side of the language and the Chinese font (web/platform/language_web.hpp), and Chinese input through the
// browser's input method. Linked after glue.js with --post-js: it extends Module.playgroundHost and fills in
// Module.playgroundLanguage, which window.playground's language calls use.
//
// Input methods: a canvas cannot host one, so while an ImGui text field is active a DOM <input> sits over its cursor
// with the focus. Every character typed or composed there (an IME's candidates, pinyin, an emoji keyboard) reaches
// ImGui from that input's events and nothing else: the keypress GLFW would turn into a second copy is stopped before
// GLFW's own listener sees it (ours is registered first, at load, in the same capture phase). Keys that edit rather
// than type (Backspace, arrows, Enter, Ctrl+A) still go to GLFW as before.
(function () {
  'use strict';
  function up() { return runtimeInitialized && !ABORT; }
  var host = Module['playgroundHost'];
  var languageKey = 'playground.lang';
  var fontFile = 'cjk-sc.otf';
  var textsFile = 'zh-CN.txt';   // the Chinese column of the page's strings, which the wasm leaves out

  function speaks(code) { return /^(zh|en)([-_]|$)/i.test(code || '') && !/^zh[-_](tw|hk|mo|hant)/i.test(code); }
  function normal(code) { return /^zh/i.test(code) ? 'zh-CN' : 'en'; }

  // ?lang= wins, then the language menu's earlier choice, then the browser's first language the page speaks.
  function languageCode() {
    var asked = new URLSearchParams(location.search).get('lang');
    if (speaks(asked)) return normal(asked);
    try {
      var kept = localStorage.getItem(languageKey);
      if (speaks(kept)) return normal(kept);
    } catch (error) { /* storage switched off */ }
    var browser = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (var i = 0; i < browser.length; ++i) if (speaks(browser[i])) return normal(browser[i]);
    return 'en';
  }
  function saveLanguage(code) {
    try { localStorage.setItem(languageKey, code); } catch (error) { /* not remembered, still used */ }
    document.documentElement.lang = code;
  }

  // ---- the Chinese font: fetched once, with progress ----
  var fontFetch = null;
  function fetchFont(onProgress) {
    if (fontFetch) return fontFetch;
    fontFetch = fetch(fontFile).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status + ' for ' + fontFile);
      var total = Number(response.headers.get('Content-Length')) || 0;
      if (!response.body || !response.body.getReader) return response.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      var reader = response.body.getReader(), chunks = [], received = 0;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) {
            var bytes = new Uint8Array(received), offset = 0;
            chunks.forEach(function (chunk) { bytes.set(chunk, offset); offset += chunk.length; });
            return bytes;
          }
          chunks.push(step.value);
          received += step.value.length;
          if (onProgress) onProgress(received, total);
          return pump();
        });
      }
      return pump();
    });
    return fontFetch;
  }
  // The font and the Chinese texts, fetched together (the font's bytes give the progress): {font, texts}.
  var chineseFetch = null;
  function fetchChinese(onProgress) {
    if (chineseFetch) return chineseFetch;
    var texts = fetch(textsFile).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status + ' for ' + textsFile);
      return response.arrayBuffer();
    }).then(function (buffer) { return new Uint8Array(buffer); });
    chineseFetch = Promise.all([fetchFont(onProgress), texts]).then(function (both) {
      return { font: both[0], texts: both[1] };
    });
    return chineseFetch;
  }
  function toHeap(bytes) {
    var pointer = _malloc(bytes.length);
    HEAPU8.set(bytes, pointer);
    return pointer;
  }
  var fontAtStart = null;   // the bytes fetched before main(), handed over once by takeCjkFont
  var textsAtStart = null;  // and the texts, by takeChineseTexts
  var fontMs = null;        // how long the font took to arrive, for the record

  // A Chinese page starts only once its font is here, so no frame draws Chinese without glyphs.
  if (speaks(languageCode()) && normal(languageCode()) === 'zh-CN') {
    var started = performance.now();
    addRunDependency('cjk-font');
    fetchChinese(function (received, total) {
      if (Module['setStatus']) {
        Module['setStatus']('正在下载中文字体… ' + (received / 1048576).toFixed(1) +
                            (total ? ' / ' + (total / 1048576).toFixed(1) : '') + ' MB');
      }
    }).then(function (both) {
      fontAtStart = both.font;
      textsAtStart = both.texts;
      fontMs = performance.now() - started;
    }).catch(function (error) {
      console.error('the Chinese font did not load: ' + error);
    }).then(function () { removeRunDependency('cjk-font'); });
  }

  function fetchCjkFont() {
    var started = performance.now();
    fetchChinese(function (received, total) {
      if (up() && total) Module['ccall']('pg_cjk_font_progress', null, ['number'], [received / total]);
    }).then(function (both) {
      fontMs = performance.now() - started;
      if (!up()) return;
      // The texts first: the font's arrival is what switches the language.
      var refused = Module['ccall']('pg_chinese_texts', 'string', ['number', 'number'], [toHeap(both.texts), both.texts.length]);
      if (refused) throw new Error(refused);
      Module['ccall']('pg_cjk_font_loaded', null, ['number', 'number'], [toHeap(both.font), both.font.length]);
    }).catch(function (error) {
      if (up()) Module['ccall']('pg_cjk_font_failed', null, ['string'], [String(error && error.message || error)]);
    });
  }
  function takeCjkFont() {
    var bytes = fontAtStart;
    fontAtStart = null;
    return bytes;
  }
  function takeChineseTexts() {
    var bytes = textsAtStart;
    textsAtStart = null;
    return bytes;
  }

  // ---- input methods ----
  var ime = null, imeX = 0, imeY = 0, composing = false;
  function send(text) {
    if (text && up()) Module['ccall']('pg_text_input', null, ['string'], [text]);
  }
  function imeInput() {
    if (ime) return ime;
    ime = document.createElement('input');
    ime.type = 'text';
    ime.id = 'ime-input';
    ime.setAttribute('autocomplete', 'off');
    ime.setAttribute('aria-label', 'text input');
    ime.style.cssText = 'position:fixed;left:0;top:0;width:12em;height:1.6em;padding:0 4px;margin:0;border:1px solid #33a0a0;' +
                        'border-radius:3px;background:#161a1e;color:#e6eaee;font:16px system-ui,sans-serif;opacity:0;' +
                        'z-index:5;outline:none;pointer-events:none;';
    // pointer-events:none: the input sits over the field that was clicked, so without it the button's release (and
    // every later click there) would land on the input instead of the canvas; GLFW would keep the button down and
    // ImGui would never see the next click, the one that ends the edit elsewhere.
    ime.addEventListener('compositionstart', function () { composing = true; ime.style.opacity = '1'; });
    ime.addEventListener('compositionend', function (event) {
      composing = false;
      ime.style.opacity = '0';
      send(event.data);
      ime.value = '';
    });
    ime.addEventListener('input', function (event) {
      if (composing || event.isComposing) return;   // the composition's text comes whole with compositionend
      send(event.data || ime.value);
      ime.value = '';
    });
    document.body.appendChild(ime);
    return ime;
  }
  function imePosition(x, y) {
    imeX = x; imeY = y;
    if (ime) { ime.style.left = x + 'px'; ime.style.top = y + 'px'; }
  }
  // Our keypress listener comes before GLFW's (both capture on window; this one is added at load, GLFW's in main).
  window.addEventListener('keypress', function (event) {
    if (ime && event.target === ime) event.stopImmediatePropagation();
  }, true);
  // The input losing the focus is not the window losing it: GLFW would take it for one and release every mouse
  // button, so the click that moved the focus (onto another widget, or off the field) would never reach ImGui.
  window.addEventListener('blur', function (event) {
    if (ime && event.target === ime) event.stopImmediatePropagation();
  }, true);
  function followTextFields() {
    if (up()) {
      var wants = Module['ccall']('pg_wants_text_input', 'number', [], []) === 1;
      if (wants) {
        var input = imeInput();
        input.style.left = imeX + 'px';
        input.style.top = imeY + 'px';
        if (document.activeElement !== input) input.focus({ preventScroll: true });
      } else if (ime && document.activeElement === ime) {
        ime.blur();
        ime.value = '';
        composing = false;
        ime.style.opacity = '0';
      }
    }
    requestAnimationFrame(followTextFields);
  }
  requestAnimationFrame(followTextFields);

  host.languageCode = languageCode;
  host.saveLanguage = saveLanguage;
  host.fetchCjkFont = fetchCjkFont;
  host.takeCjkFont = takeCjkFont;
  host.takeChineseTexts = takeChineseTexts;
  host.imePosition = imePosition;

  // window.playground's language calls (web/platform/glue.js) come here.
  Module['playgroundLanguage'] = {
    language: function () { return up() ? Module['ccall']('pg_language', 'string', [], []) : languageCode(); },
    setLanguage: function (code) {
      return up() && Module['ccall']('pg_set_language', 'number', ['string'], [String(code)]) === 1;
    },
    missingGlyphs: function () { return up() ? JSON.parse(Module['ccall']('pg_missing_glyphs_json', 'string', [], [])) : []; },
    clearMissingGlyphs: function () { if (up()) Module['ccall']('pg_clear_missing_glyphs', null, [], []); },
    font: function () {
      var out = up() ? JSON.parse(Module['ccall']('pg_font_json', 'string', [], [])) : { state: 'embedded' };
      out.ms = fontMs;
      return out;
    },
  };
})();
