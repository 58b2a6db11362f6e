// claimtag review report: renders one article at a time from the embedded
// JSON (so thousands of articles stay fast). `#article=N` opens article N
// (0-based), `#article=N&claim=K` also focuses its claim K (index), `#all`
// renders every article (for printing and for tests).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("claimtag-data").textContent);
  const TYPES = data.types;
  const QUOTES = data.quote_types;
  const articles = data.articles;
  const main = document.getElementById("main");
  const list = document.getElementById("list");
  const search = document.getElementById("search");
  const listFilter = document.getElementById("list-filter");
  const shown = document.getElementById("shown");
  const tip = document.getElementById("tip");
  const SVG = "http://www.w3.org/2000/svg";
  let current = -1;
  let links = [];
  let tipMark = null;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function svgEl(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function counts(a) {
    const n = [0, 0, 0, 0];
    for (const c of a.claims) n[c[2]] += 1;
    return n;
  }

  function pct(n, total) {
    return total ? Math.round((1000 * n) / total) / 10 : 0;
  }

  // Horizontal bars of source-type shares (the same drawing as the overall
  // chart written by claimtag).
  function chart(n, label) {
    const total = n.reduce((s, x) => s + x, 0);
    const rowH = 20, labelW = 140, barW = 180, width = labelW + barW + 80;
    const svg = svgEl("svg", {
      class: "chart", width: width, height: rowH * TYPES.length + 4,
      viewBox: "0 0 " + width + " " + (rowH * TYPES.length + 4),
      role: "img", "aria-label": label,
    });
    svg.appendChild(svgEl("title", {}, label));
    TYPES.forEach((t, i) => {
      const y = i * rowH + 2;
      const w = total ? (barW * n[i]) / total : 0;
      svg.appendChild(svgEl("text", { x: 0, y: y + 13, class: "label" }, t.label));
      svg.appendChild(svgEl("rect", { x: labelW, y: y + 2, width: barW, height: 13, class: "track" }));
      svg.appendChild(svgEl("rect", { x: labelW, y: y + 2, width: w.toFixed(1), height: 13, class: "f" + i }));
      svg.appendChild(svgEl("text", { x: labelW + barW + 6, y: y + 13 }, pct(n[i], total) + "% (" + n[i] + ")"));
    });
    return svg;
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(url) ? url : null;
  }

  function renderArticle(i) {
    const a = articles[i];
    const n = counts(a);
    const doc = el("article", { class: "doc", "data-article-id": a.id, "data-index": i, "data-n-claims": a.claims.length });
    doc.appendChild(el("h2", null, a.title || a.id));
    const meta = el("p", { class: "meta" });
    meta.appendChild(el("span", null, a.id));
    if (a.outlet) meta.appendChild(el("span", null, a.outlet));
    if (a.published) meta.appendChild(el("span", null, a.published));
    if (a.url) {
      const span = el("span");
      const href = safeUrl(a.url);
      if (href) {
        const link = el("a", { href: href, rel: "noopener noreferrer" }, a.url);
        span.appendChild(link);
      } else {
        span.textContent = a.url;
      }
      meta.appendChild(span);
    }
    meta.appendChild(el("span", null, a.claims.length + (a.claims.length === 1 ? " claim" : " claims")));
    doc.appendChild(meta);
    doc.appendChild(chart(n, "Source types of this article's claims"));

    const body = el("div", { class: "body" });
    const cps = Array.from(a.text);
    let pos = 0;
    a.claims.forEach((c, k) => {
      const start = Math.max(c[0], pos);
      if (start > pos) body.appendChild(document.createTextNode(cps.slice(pos, start).join("")));
      const m = el("mark", { class: "claim t" + c[2], tabindex: "0", "data-claim": k });
      m.textContent = cps.slice(start, c[1]).join("");
      body.appendChild(m);
      pos = Math.max(pos, c[1]);
    });
    if (pos < cps.length) body.appendChild(document.createTextNode(cps.slice(pos).join("")));
    if (!a.claims.length) doc.appendChild(el("p", { class: "empty" }, "No claims in this article."));
    doc.appendChild(body);
    return doc;
  }

  function pager(i) {
    const p = el("div", { class: "pager" });
    const prev = el("button", { type: "button" }, "← previous");
    const next = el("button", { type: "button" }, "next →");
    prev.disabled = i <= 0;
    next.disabled = i >= articles.length - 1;
    prev.addEventListener("click", () => go(i - 1));
    next.addEventListener("click", () => go(i + 1));
    p.appendChild(prev);
    p.appendChild(next);
    p.appendChild(el("span", null, "article " + (i + 1) + " of " + articles.length + " (keys j / k)"));
    return p;
  }

  function show(i, claim) {
    hideTip();
    main.textContent = "";
    if (!articles.length) {
      main.appendChild(el("p", { class: "empty" }, "No articles."));
      return;
    }
    i = Math.max(0, Math.min(articles.length - 1, i));
    current = i;
    main.appendChild(pager(i));
    main.appendChild(renderArticle(i));
    main.scrollTop = 0;
    links.forEach((l) => l.removeAttribute("aria-current"));
    const li = links[i] && links[i].parentNode;
    if (li) {
      links[i].setAttribute("aria-current", "true");
      // Keep the current article visible in the list without scrolling the page.
      // (#list is positioned, so offsetTop is relative to it.)
      if (li.offsetTop < list.scrollTop || li.offsetTop + li.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = li.offsetTop - 40;
      }
    }
    const mark = claim === undefined ? null : main.querySelector('mark[data-claim="' + claim + '"]');
    if (mark) {
      const top = mark.getBoundingClientRect().top - main.getBoundingClientRect().top;
      if (top > main.clientHeight - 80) main.scrollTop = top - 120;
      mark.focus({ preventScroll: true });
    }
  }

  function showAll() {
    hideTip();
    main.textContent = "";
    current = -1;
    const frag = document.createDocumentFragment();
    articles.forEach((_, i) => frag.appendChild(renderArticle(i)));
    main.appendChild(frag);
  }

  function go(i) {
    location.hash = "article=" + i;
  }

  function route() {
    const h = location.hash.replace(/^#/, "");
    if (h === "all") return showAll();
    const m = /^article=(\d+)(?:&claim=(\d+))?$/.exec(h);
    show(m ? parseInt(m[1], 10) : 0, m && m[2] !== undefined ? parseInt(m[2], 10) : undefined);
  }

  function buildList() {
    const frag = document.createDocumentFragment();
    links = articles.map((a, i) => {
      const n = counts(a);
      const total = a.claims.length;
      const li = el("li");
      const link = el("a", { href: "#article=" + i }, a.title || a.id);
      const meta = el("span", { class: "meta" }, [a.outlet, total + (total === 1 ? " claim" : " claims")].filter(Boolean).join(" · "));
      link.appendChild(meta);
      const mini = el("span", { class: "mini", "aria-hidden": "true" });
      n.forEach((x, t) => {
        if (!x) return;
        const s = el("span", { class: "f" + t });
        s.style.width = (100 * x) / total + "%";
        s.style.background = "var(--t" + t + ")";
        mini.appendChild(s);
      });
      link.appendChild(mini);
      li.appendChild(link);
      li.dataset.search = (a.title + " " + a.id + " " + a.outlet).toLowerCase();
      li.dataset.types = n.map((x) => (x ? "1" : "0")).join("");
      frag.appendChild(li);
      return link;
    });
    list.appendChild(frag);
    filterList();
  }

  function filterList() {
    const q = search.value.trim().toLowerCase();
    const t = listFilter.value;
    let visible = 0;
    links.forEach((l) => {
      const li = l.parentNode;
      const ok = (!q || li.dataset.search.indexOf(q) >= 0) && (t === "" || li.dataset.types[+t] === "1");
      li.style.display = ok ? "" : "none";
      if (ok) visible += 1;
    });
    shown.textContent = visible + " of " + articles.length + " articles";
  }

  function claimOf(mark) {
    const doc = mark.closest("article.doc");
    return articles[+doc.dataset.index].claims[+mark.dataset.claim];
  }

  function showTip(mark) {
    const c = claimOf(mark);
    tip.textContent = "";
    const head = el("div", { class: "type" }, TYPES[c[2]].label);
    head.style.color = "var(--t" + c[2] + ")";
    tip.appendChild(head);
    const dl = el("dl");
    const rows = [
      ["source", c[4] || "—"], ["mention", c[5]], ["role", c[6] || "—"], ["cue", c[7] || "—"],
      ["quote type", QUOTES[c[3]]], ["quote", c[10]], ["rule", c[8]], ["confidence", String(c[9])],
    ];
    for (const [k, v] of rows) {
      if (v === "" || v === undefined) continue;
      dl.appendChild(el("dt", null, k));
      dl.appendChild(el("dd", null, v));
    }
    tip.appendChild(dl);
    tip.hidden = false;
    mark.setAttribute("aria-describedby", "tip");
    tipMark = mark;
    placeTip();
  }

  function placeTip() {
    const r = tipMark.getBoundingClientRect();
    const tw = tip.offsetWidth, th = tip.offsetHeight;
    let x = Math.min(window.innerWidth - tw - 8, Math.max(8, r.left));
    let y = r.bottom + 6;
    if (y + th > window.innerHeight - 8) y = Math.max(8, r.top - th - 6);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function hideTip() {
    tip.hidden = true;
    tipMark = null;
    document.querySelectorAll("mark[aria-describedby]").forEach((m) => m.removeAttribute("aria-describedby"));
  }

  main.addEventListener("mouseover", (e) => {
    const m = e.target.closest && e.target.closest("mark.claim");
    if (m) showTip(m);
  });
  main.addEventListener("mouseout", (e) => {
    if (e.target.closest && e.target.closest("mark.claim")) hideTip();
  });
  main.addEventListener("focusin", (e) => {
    if (e.target.matches("mark.claim")) showTip(e.target);
  });
  main.addEventListener("focusout", hideTip);
  main.addEventListener("scroll", () => {
    if (tipMark) placeTip();
  });

  document.querySelectorAll(".legend input[data-type]").forEach((box) => {
    box.addEventListener("change", () => {
      document.body.classList.toggle("off-t" + box.dataset.type, !box.checked);
    });
  });
  search.addEventListener("input", filterList);
  listFilter.addEventListener("change", filterList);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") return hideTip();
    if (e.target.matches("input, select, textarea") || e.altKey || e.ctrlKey || e.metaKey) return;
    if (current < 0) return;
    if (e.key === "j") go(current + 1);
    if (e.key === "k") go(current - 1);
  });
  window.addEventListener("hashchange", route);

  buildList();
  route();
  document.body.dataset.ready = "true";
})();
