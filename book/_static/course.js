/* The course website's own script (book/conf.py loads it on every page; no CDN, no library).
 *
 * 1. Explorers that move with no kernel.  tools/build_book.py puts, where a notebook opens an
 *    explorer, a div.cnn-explorer holding the start frame and a JSON manifest: the sliders
 *    (name, label, values, start; "dynamic" ones run over the output positions the others
 *    allow), the frame files, the texts, and for each point "v1,v2,..." its [file, text].
 *    Here each slider becomes an <input type="range">; a move swaps in that point's frame,
 *    decoded in advance (all of an explorer's frames are fetched and decoded when it comes near
 *    the screen), and its text.
 * 2. Search excerpts without the page's buttons (colour-mode menu) and without raw TeX.
 */
(function () {
  "use strict";

  function explorer(root) {
    const m = JSON.parse(root.querySelector("script.cnn-manifest").textContent);
    const base = root.dataset.base;
    const holder = root.querySelector(".cnn-frame-holder");
    const textEl = root.querySelector(".cnn-text");
    const controls = root.querySelector(".cnn-controls");
    const points = Object.keys(m.frames).map((k) => k.split(","));
    const value = m.sliders.map((s) => String(s.start));
    const images = m.files.map(() => null);
    let loading = null;

    // the values a slider may take, given the others (all of them for a static slider)
    function allowed(i) {
      if (!m.sliders[i].dynamic) return m.sliders[i].values.map(String);
      const seen = new Set();
      for (const p of points) {
        if (p.every((v, j) => j === i || m.sliders[j].dynamic || v === value[j])) seen.add(p[i]);
      }
      return [...seen].sort((a, b) => Number(a) - Number(b));
    }

    function image(k) {
      if (!images[k]) {
        const img = new Image();
        img.className = "cnn-frame";
        img.src = base + m.files[k];
        img.width = m.sizes[k][0];
        img.height = m.sizes[k][1];
        img.decoding = "sync";
        images[k] = img;
      }
      return images[k];
    }

    function preload() {
      if (!loading) {
        loading = Promise.all(m.files.map((_, k) => image(k).decode().catch(() => null)))
          .then(() => { root.dataset.ready = "true"; });
      }
      return loading;
    }

    const inputs = m.sliders.map((s, i) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      const out = document.createElement("output");
      input.type = "range";
      input.min = 0;
      input.step = 1;
      input.name = s.name;
      input.dataset.slider = s.name;
      label.append(s.label + " ", input, out);
      controls.append(label);
      input.addEventListener("input", () => {
        preload();
        value[i] = allowed(i)[Number(input.value)];
        refresh(i);
      });
      return { input, out, slider: s };
    });

    function refresh(moved) {
      m.sliders.forEach((s, i) => {
        if (!s.dynamic || i === moved) return;
        const vals = allowed(i);
        if (!vals.includes(value[i])) value[i] = vals[vals.length - 1];
      });
      inputs.forEach(({ input, out, slider }, i) => {
        const vals = allowed(i);
        input.max = vals.length - 1;
        input.value = vals.indexOf(value[i]);
        const shown = slider.labels ? slider.labels[slider.values.map(String).indexOf(value[i])]
                                    : value[i];
        out.textContent = shown;
        input.setAttribute("aria-valuetext", shown);
      });
      const [k, t] = m.frames[value.join(",")];
      const img = image(k);
      img.alt = m.texts[t];
      if (holder.firstElementChild !== img) holder.replaceChildren(img);
      textEl.textContent = m.texts[t];
      root.dataset.point = value.join(",");
    }

    refresh(-1);
    if ("IntersectionObserver" in window) {
      const seen = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { preload(); seen.disconnect(); }
      }, { rootMargin: "800px" });
      seen.observe(root);
    } else {
      preload();
    }
  }

  // ---- search: excerpts from the article's own text --------------------------------------
  const TEX = [[/\\tag\{([^}]*)\}/g, "   ($1)"], [/\\(?:mathbf|mathrm|operatorname|text|mathbb)\{([^}]*)\}/g, "$1"],
    [/\\frac\{([^}]*)\}\{([^}]*)\}/g, "($1)/($2)"], [/\\times/g, "×"], [/\\otimes/g, "⊗"],
    [/\\partial/g, "∂"], [/\\sum/g, "Σ"], [/\\phi|\\varphi/g, "φ"], [/\\in\b/g, "∈"],
    [/\\(?:left|right|quad|qquad|,|;|!|displaystyle)/g, " "], [/\\[a-zA-Z]+/g, ""],
    [/[{}]/g, ""], [/\\\(|\\\)|\\\[|\\\]|\$\$?/g, ""], [/\s+/g, " "]];

  function plainTex(tex) {
    return TEX.reduce((s, [re, by]) => s.replace(re, by), tex);
  }

  function patchSearch() {
    if (typeof Search === "undefined" || !Search.htmlToText || Search._course) return;
    const original = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".bd-header-article, .header-article-items, .theme-switch-container, "
        + "#jb-print-docs-body, .prev-next-area, .cnn-explorer, .cnn-manifest")
        .forEach((e) => e.remove());
      doc.querySelectorAll(".math").forEach((e) => { e.textContent = plainTex(e.textContent); });
      return original(doc.documentElement.outerHTML, anchor);
    };
    Search._course = true;
  }

  function ready() {
    document.querySelectorAll("div.cnn-explorer").forEach(explorer);
    patchSearch();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  window.addEventListener("load", patchSearch);
})();
