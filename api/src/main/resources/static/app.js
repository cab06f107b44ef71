// The search page: plain DOM code against the REST API (no build step). Texts from documents are
// only ever inserted as text nodes, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
const TOP_TERMS = 8;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'style') e.style.cssText = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.detail || `${res.status} ${res.statusText}`);
  return json;
}

async function loadCollections() {
  const select = $('collection');
  try {
    const { collections } = await api('collections');
    select.replaceChildren(...collections.map((c) =>
      el('option', { value: c.name }, `${c.name} (${c.docs} docs${c.model ? ', ' + c.model : ''})`)));
    const wanted = new URLSearchParams(location.search).get('collection');
    if (wanted) select.value = wanted;
    if (!collections.length) setStatus('No collections yet: create one with PUT /collections/{name} (see README).');
  } catch (e) {
    setStatus('Cannot list collections: ' + e.message, true);
  }
}

// Words of the text that match a contributing term: the whole word, or (for pieces of 4+ letters)
// its beginning, since WordPiece splits long words.
function highlight(text, tokens) {
  const words = [...new Set(tokens.filter((t) => t && !t.startsWith('##') && !/^\[.*\]$/.test(t))
    .map((t) => t.toLowerCase()))];
  if (!words.length || !text) return [document.createTextNode(text || '')];
  const esc = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length);
  const re = new RegExp(`\\b(${esc.join('|')})`, 'gi');
  const out = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const word = m[1].toLowerCase();
    const rest = text.slice(m.index + m[0].length).match(/^\w*/)[0];
    if (rest.length && word.length < 4) continue; // a short piece inside a longer word: not a match
    out.push(document.createTextNode(text.slice(last, m.index)));
    out.push(el('mark', {}, text.slice(m.index, m.index + m[0].length + rest.length)));
    last = m.index + m[0].length + rest.length;
  }
  out.push(document.createTextNode(text.slice(last)));
  return out;
}

function chart(explanation) {
  const top = (explanation || []).slice(0, TOP_TERMS);
  const box = el('div', { class: 'chart' }, el('h4', {}, top.length ? 'Top contributing terms' : 'No shared terms (BM25 match)'));
  const max = Math.max(...top.map((t) => t.contribution), 1e-9);
  for (const t of top) {
    box.append(el('div', { class: 'bar-row', title: `query ${t.query_weight.toFixed(3)} × document ${t.document_weight.toFixed(3)}` },
      el('span', { class: 'label' }, t.token ?? `#${t.term_id}`),
      el('span', { class: 'bar-track' }, el('span', { class: 'bar', style: `display:block;width:${(100 * t.contribution / max).toFixed(1)}%` })),
      el('span', { class: 'value' }, t.contribution.toFixed(2))));
  }
  return box;
}

function renderTerms(query) {
  const section = $('expansion');
  if (!query || !query.terms || !query.terms.length) { section.hidden = true; return; }
  section.hidden = false;
  $('terms').replaceChildren(...query.terms.slice(0, 40).map((t) =>
    el('span', { class: 'term' + (t.expansion ? ' expansion' : ''), 'data-token': t.token ?? '' },
      el('b', {}, t.token ?? `#${t.term_id}`), ` ${t.weight.toFixed(2)}`)));
}

// A BM25 hit has no sparse terms: its matches are the query's own words.
function renderHits(hits, queryText) {
  const queryWords = queryText.toLowerCase().match(/\w+/g) || [];
  $('results').replaceChildren(...hits.map((h, i) => {
    const tokens = h.explanation && h.explanation.length ? h.explanation.map((t) => t.token) : queryWords;
    const meta = h.metadata ? Object.entries(h.metadata).map(([k, v]) => `${k}: ${v}`).join(' · ') : '';
    return el('li', { class: 'hit', 'data-id': h.id },
      el('div', {},
        el('h3', {}, `${i + 1}. `, ...highlight(h.title || h.id, tokens)),
        el('div', { class: 'meta' }, `id ${h.id} · score ${h.score.toFixed(3)}${meta ? ' · ' + meta : ''}`),
        el('p', { class: 'text' }, ...highlight(h.text || '', tokens))),
      chart(h.explanation));
  }));
}

async function search(event) {
  event.preventDefault();
  const query = $('query').value.trim();
  const collection = $('collection').value;
  if (!query || !collection) return;
  setStatus('Searching…');
  try {
    // An empty mode leaves the choice to the collection's model (its recommended search).
    const body = { query, k: Number($('k').value) || 10, explain: true };
    if ($('mode').value) body.mode = $('mode').value;
    const res = await api(`collections/${encodeURIComponent(collection)}/search`, body);
    renderTerms(res.query);
    renderHits(res.hits, query);
    setStatus(`${res.hits.length} result${res.hits.length === 1 ? '' : 's'} in ${res.took_ms.toFixed(1)} ms (${res.mode})`);
    document.body.dataset.state = 'done';
  } catch (e) {
    $('results').replaceChildren();
    renderTerms(null);
    setStatus(e.message, true);
    document.body.dataset.state = 'error';
  }
}

$('search-form').addEventListener('submit', search);
loadCollections();
