// c6lab explorer: renders the JSON embedded in the page. Every piece of corpus text is set
// with textContent, never as HTML, so nothing in a corpus can run here.
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("c6lab-data").textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  const fmt = (x, d) => (x === null || x === undefined || x === "" ? "" : Number(x).toFixed(d));
  const SVG = "http://www.w3.org/2000/svg";
  const segById = new Map(D.segments.map((s) => [s.segment_id, s]));

  const nArticles = D.corpus.n_articles ?? D.articles.length, nSegments = D.corpus.n_segments ?? D.segments.length;
  $("corpus-line").textContent = `Corpus ${D.corpus.root}, version ${D.corpus.version}: ` +
    `${nArticles} article(s), ${nSegments} segments.`;

  // -- what a large corpus's page leaves out (the page's size is bounded; the tables hold all) ------
  const C = D.caps || {}, L = D.left_out || {};
  const n = (x) => Number(x).toLocaleString("en-US");
  const cut = [];
  if (L.words) cut.push(`the top ${C.top_n} words of each group (${n(L.words)} more words are in keywords.csv)`);
  if (L.lines) cut.push(`at most ${C.max_lines} concordance lines per word (${n(L.lines)} more lines: ` +
    "c6lab.keywords.keyword_concordance on the corpus; keywords_concordance.csv holds those of the top words)");
  if (L.articles) cut.push(`the first ${D.articles.length} articles in full (${n(L.articles)} more are in the ` +
    "corpus folder: articles.csv, segments.csv and raw/)");
  if (L.mentions) cut.push(`at most ${C.max_mentions} tone mentions per power and group (${n(L.mentions)} more ` +
    "are in power_mentions.csv)");
  if (cut.length) {
    $("caps-note").hidden = false;
    $("caps-note").textContent = `This corpus is large: to stay small, this page embeds ${cut.join("; ")}. ` +
      "Left out: " + [L.words && `${n(L.words)} words`, L.lines && `${n(L.lines)} lines`,
      L.articles && `${n(L.articles)} articles`, L.mentions && `${n(L.mentions)} mentions`].filter(Boolean).join(", ") +
      ". Rebuild with larger caps: c6lab.explorer.build_explorer(corpus, results, out, top_n=..., " +
      "max_lines=..., max_articles=..., max_mentions=...).";
  }

  // -- tabs -------------------------------------------------------------------------------
  function show(view) {
    document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("on", b.dataset.view === view));
    document.querySelectorAll(".view").forEach((v) => v.classList.toggle("on", v.id === "view-" + view));
  }
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));

  // -- articles -----------------------------------------------------------------------------
  function renderArticle(articleId, flashSeg) {
    const art = D.articles.find((a) => a.id === articleId);
    const box = $("art-text");
    box.replaceChildren();
    if (!art) {
      box.appendChild(el("p", `Article ${articleId} is not embedded in this page (it keeps the first ` +
        `${D.articles.length} of ${n(nArticles)} articles); its text is in the corpus folder (articles.csv gives ` +
        "its raw file, segments.csv its segments).", "note capped"));
      return;
    }
    $("art-select").value = articleId;
    const segs = D.segments.filter((s) => s.article_id === articleId).sort((a, b) => a.char_start - b.char_start);
    let target = null;
    for (const s of segs) {
      const span = el("span", null, "k-" + s.kind);
      span.dataset.seg = s.segment_id;
      span.title = `${s.segment_id} · ${s.kind}` + (s.speaker ? ` · ${s.speaker} (${s.country || "?"})` : "") +
        (s.reviewed === false ? " · not reviewed" : "");
      if ((s.kind === "quote" || s.kind === "paraphrase") && s.speaker) {
        span.appendChild(el("span", `[${s.speaker}] `, "label"));
      }
      span.appendChild(document.createTextNode(art.text.slice(s.char_start, s.char_end)));
      box.appendChild(span);
      if (s.segment_id === flashSeg) target = span;
    }
    if (target) {
      target.classList.add("flash");
      target.scrollIntoView({ block: "center" });
    }
  }
  function openSegment(segId) {
    const seg = segById.get(segId);
    if (!seg) return;
    show("articles");
    renderArticle(seg.article_id, segId);
  }
  for (const a of D.articles) $("art-select").appendChild(new Option(`${a.id} (${a.outlet})`, a.id));
  if (L.articles) {
    $("art-note").hidden = false;
    $("art-note").textContent = `The first ${D.articles.length} of ${n(nArticles)} articles are embedded; ` +
      "a line from another article shows its sentence, the article itself is in the corpus folder.";
  }
  $("art-select").addEventListener("change", (e) => renderArticle(e.target.value));
  if (D.articles.length) renderArticle(D.articles[0].id);

  // -- keywords -----------------------------------------------------------------------------
  const K = D.keywords;
  function concordance(group, word) {
    const lines = (K.lines[group] || {})[word] || [];
    const g = K.groups.find((x) => x.group === group), w = g && g.words.find((x) => x.word === word);
    const total = w ? w.count_group : lines.length;
    const list = $("kw-conc");
    list.replaceChildren();
    $("kw-conc-title").textContent = `Concordance: ${word} (${group})`;
    $("kw-conc-note").textContent = lines.length ? (lines.length < total ?
      `first ${lines.length} of ${n(total)} lines (this page keeps at most ${K.max_lines} per word; all of them: ` +
      "c6lab.keywords.keyword_concordance)" : `${lines.length} line(s)`) + "; click a line to open the article there." :
      "The word does not occur in this group's text.";
    for (const [segId, left, kw, right] of lines.slice(0, K.max_lines)) {
      const seg = segById.get(segId) || {};
      const li = el("li");
      li.dataset.seg = segId;
      li.appendChild(el("span", `${seg.speaker || ""} · ${seg.article_id || ""} · ${segId}`, "who"));
      li.appendChild(document.createTextNode(left));
      li.appendChild(el("mark", kw));
      li.appendChild(document.createTextNode(right));
      li.addEventListener("click", () => openSegment(segId));
      list.appendChild(li);
    }
  }
  function renderKeywords() {
    const g = K.groups.find((x) => x.group === $("kw-group").value) || K.groups[0];
    const q = $("kw-search").value.trim().toLowerCase();
    $("kw-slice").textContent = `${K.group_by} = ${g.group}: ${g.n_speakers ?? "?"} speaker(s) (${g.speakers}), ` +
      `${g.n_tokens} tokens. Small groups: read z as a pointer to sentences, not a finding.` +
      (g.n_words > g.words.length ? ` Top ${g.words.length} of ${n(g.n_words)} words by rank shown and searchable ` +
        "here; all of them are in keywords.csv." : "");
    const words = g.words.filter((w) => !q || w.word.includes(q));
    const body = $("kw-table").querySelector("tbody");
    body.replaceChildren();
    for (const w of words.slice(0, 200)) {
      const tr = el("tr", null, "pick");
      tr.dataset.word = w.word;
      tr.appendChild(el("td", w.word));
      tr.appendChild(el("td", fmt(w.z, 2), "num"));
      tr.appendChild(el("td", w.count_group, "num"));
      tr.appendChild(el("td", w.count_reference, "num"));
      tr.appendChild(el("td", w.survives ? "yes" : ""));
      tr.addEventListener("click", () => concordance(g.group, w.word));
      body.appendChild(tr);
    }
    plot(g, words);
  }
  function plot(g, words) {
    const svg = $("kw-plot");
    svg.replaceChildren();
    const pts = words.filter((w) => w.count_group > 0);
    if (!pts.length) return;
    const xs = pts.map((w) => Math.log10(w.freq)), ys = pts.map((w) => w.z);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs) + 1e-9], [y0, y1] = [Math.min(...ys, -2), Math.max(...ys, 2)];
    const X = (v) => 30 + 380 * (v - x0) / (x1 - x0), Y = (v) => 285 - 270 * (v - y0) / (y1 - y0);
    for (const z of [-1.96, 0, 1.96]) {
      const line = document.createElementNS(SVG, "line");
      Object.entries({ x1: 30, x2: 410, y1: Y(z), y2: Y(z), stroke: z ? "#D55E00" : "#999", "stroke-dasharray": "3 3" })
        .forEach(([k, v]) => line.setAttribute(k, v));
      svg.appendChild(line);
    }
    const label = (text, x, y, rotate) => {
      const t = document.createElementNS(SVG, "text");
      t.textContent = text;
      t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("font-size", "10"); t.setAttribute("fill", "#555");
      if (rotate) t.setAttribute("transform", `rotate(-90 ${x} ${y})`);
      svg.appendChild(t);
    };
    label("share of the group's tokens (log scale) →", 160, 298);
    label("z →", 10, 150, true);
    label("±1.96", 380, Y(1.96) - 3);
    pts.forEach((w, i) => {
      const c = document.createElementNS(SVG, "circle");
      c.setAttribute("cx", X(xs[i])); c.setAttribute("cy", Y(ys[i])); c.setAttribute("r", 3.5);
      c.setAttribute("fill", w.survives ? "#D55E00" : "#0072B2"); c.setAttribute("fill-opacity", "0.7");
      c.dataset.word = w.word;
      const t = document.createElementNS(SVG, "title");
      t.textContent = `${w.word}: z ${fmt(w.z, 2)}, ${w.count_group} in ${g.group}`;
      c.appendChild(t);
      c.addEventListener("click", () => concordance(g.group, w.word));
      svg.appendChild(c);
    });
  }
  if (K && K.groups.length) {
    for (const g of K.groups) $("kw-group").appendChild(new Option(g.group, g.group));
    $("kw-group").addEventListener("change", renderKeywords);
    $("kw-search").addEventListener("input", renderKeywords);
    renderKeywords();
  } else {
    $("kw-slice").textContent = "No keyword comparison in this run (keywords.csv is missing or empty).";
  }

  // -- topics ---------------------------------------------------------------------------------
  const T = D.topics, box = $("topics");
  if (!T) {
    box.appendChild(el("p", "No topic model in this run (topics.csv / doc_topics.csv are missing).", "note"));
  } else {
    box.appendChild(el("p", `${T.model.toUpperCase()}, K = ${T.k}. Shares with their bootstrap intervals; ` +
      "representative passages are those with the largest share of the topic.", "note"));
    for (const t of T.topics) {
      const div = el("div", null, "topic");
      div.appendChild(el("h2", `Topic ${t.topic}: ${t.label || "(unlabelled)"}`));
      div.appendChild(el("p", t.words.join(", ")));
      const tbl = el("table");
      for (const s of t.share) {
        const tr = el("tr");
        tr.appendChild(el("td", s.group));
        const td = el("td");
        const bar = el("span", null, "bar");
        bar.style.width = `${Math.round(200 * s.share)}px`;
        td.appendChild(bar);
        td.appendChild(document.createTextNode(` ${fmt(s.share, 2)} [${fmt(s.ci_low, 2)}, ${fmt(s.ci_high, 2)}]` +
          `, ${s.n_docs} docs, ${s.n_speakers ?? "?"} speaker(s)`));
        tr.appendChild(td);
        tbl.appendChild(tr);
      }
      div.appendChild(tbl);
      const ol = el("ol");
      for (const r of t.representative) {
        const li = el("li");
        li.appendChild(el("span", `${r.speaker || ""} · ${r.segment_id} · share ${r.weight}`, "who"));
        li.appendChild(document.createTextNode(r.text));
        li.style.cursor = "pointer";
        li.addEventListener("click", () => openSegment(r.segment_id));
        ol.appendChild(li);
      }
      div.appendChild(ol);
      box.appendChild(div);
    }
  }

  // -- tone -------------------------------------------------------------------------------------
  const M = D.tone;
  function renderTone() {
    const p = $("tone-power").value, g = $("tone-group").value, q = $("tone-search").value.trim().toLowerCase();
    const rows = M.mentions.filter((m) => (!p || m.power === p) && (!g || (m.country || "(no speaker)") === g) &&
      (!q || m.sentence.toLowerCase().includes(q)));
    $("tone-note").textContent = `${rows.length} of ${M.mentions.length} mentions; score = lexicon tone ` +
      `(VADER compound, ${M.method}) of the sentence, not the speaker's stance. Click a row for its article.` +
      (M.n_mentions > M.mentions.length ? ` This page embeds the first ${M.max_mentions} mentions of each power ` +
        `and group, ${M.mentions.length} of ${n(M.n_mentions)}; all of them are in power_mentions.csv.` : "");
    const body = $("tone-table").querySelector("tbody");
    body.replaceChildren();
    for (const m of rows) {
      const tr = el("tr", null, "pick");
      [m.power, m.country || "(no speaker)", m.speaker || m.kind, fmt(m.compound, 3), m.gold, m.sentence]
        .forEach((v, i) => tr.appendChild(el("td", v, i === 3 ? "num" : undefined)));
      tr.addEventListener("click", () => openSegment(m.segment_id));
      body.appendChild(tr);
    }
  }
  if (M) {
    const opt = (sel, values) => {
      sel.appendChild(new Option("all", ""));
      for (const v of values) sel.appendChild(new Option(v, v));
    };
    opt($("tone-power"), [...new Set(M.mentions.map((m) => m.power))]);
    opt($("tone-group"), [...new Set(M.mentions.map((m) => m.country || "(no speaker)"))].sort());
    ["tone-power", "tone-group", "tone-search"].forEach((id) => $(id).addEventListener("input", renderTone));
    renderTone();
  } else {
    $("tone-note").textContent = "No tone scores in this run (power_mentions.csv is missing).";
  }
})();
