'use strict';
// The replay page: a candidate policy replayed over the recorded calls (POST /v1/replay), its diff grouped by rule,
// the shadow policy's disagreements (GET /v1/shadow) where the server runs one, and decisions over time (inline SVG).

Views.replay = async function (target) {
  const form = el('form', { id: 'replay-form', 'aria-label': 'Replay a candidate policy' },
    field('r-policy', 'Candidate policy (settings.json; empty: the recorded policies)',
      el('textarea', { id: 'r-policy', name: 'policy', rows: '8', cols: '60', spellcheck: 'false',
        placeholder: '{ "permissions": { "deny": ["Bash(rm:*)"] } }' })),
    el('div', { class: 'filters' },
      field('r-name', 'File name', el('input', { id: 'r-name', name: 'fileName', type: 'text', value: 'candidate.json' })),
      field('r-agent', 'Agent', el('input', { id: 'r-agent', name: 'agent', type: 'text' })),
      field('r-from', 'From', el('input', { id: 'r-from', name: 'from', type: 'text', placeholder: '2026-12-03T10:00:00Z' })),
      field('r-to', 'To', el('input', { id: 'r-to', name: 'to', type: 'text', placeholder: '2026-12-03T18:00:00Z' })),
      el('div', {}, el('label', { for: 'r-replace' }, 'Replace the recorded layers'), el('input', { id: 'r-replace', name: 'replace', type: 'checkbox' }))),
    el('button', { type: 'submit' }, 'Run replay'));
  const report = el('div', { id: 'replay-report', 'aria-live': 'polite' });
  const shadow = el('div', { id: 'shadow' });
  const chart = el('div', { id: 'decisions-chart' });
  target.replaceChildren(el('h2', {}, 'Replay'), form, report, el('h2', {}, 'Shadow policy'), shadow, el('h2', {}, 'Decisions over time'), chart);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    report.replaceChildren(el('p', { class: 'muted' }, 'Replaying…'));
    const body = { replace: form.replace.checked, agent: form.agent.value || undefined, from: form.from.value || undefined, to: form.to.value || undefined,
      policies: form.policy.value.trim() ? [{ name: form.fileName.value || 'candidate.json', content: form.policy.value }] : [] };
    const result = await api('POST', '/v1/replay', body);
    report.replaceChildren(...(result.ok ? replayReport(result.data) : [failure(result)]));
  });
  renderShadow(shadow);
  renderDecisionChart(chart);
};

function replayReport(r) {
  const parts = [el('p', { id: 'replay-summary' },
    `${r.replayed} calls replayed in ${r.seconds} s: ${r.changed} would be decided differently, ${r.undecidable} could not be replayed.`)];
  if (!r.byRule.length) parts.push(el('p', { id: 'replay-no-change' }, 'No decision would change.'));
  const groups = el('ul', { class: 'cards', id: 'replay-diff', 'aria-label': 'Changes grouped by rule' });
  for (const g of r.byRule) {
    groups.append(el('li', { class: 'card', 'data-rule': g.rule },
      el('h3', {}, el('code', {}, g.rule || '(no rule)')),
      el('p', {}, el('span', { class: `decision-${g.before}` }, g.before), ' → ', el('span', { class: `decision-${g.after}` }, g.after),
        ` — ${g.count} call${g.count === 1 ? '' : 's'}`),
      examples(g.examples)));
  }
  if (r.byRule.length) parts.push(groups);
  if (r.undecidableExamples?.length) parts.push(el('h3', {}, 'Could not be replayed'), examples(r.undecidableExamples));
  return parts;
}

function examples(list) {
  return el('ul', {}, ...(list ?? []).map(x => el('li', {}, link(`#/calls/${encodeURIComponent(x.callId)}`, x.callId), ` ${x.tool} by ${x.agent}: ${x.reason}`)));
}

async function renderShadow(target) {
  const result = await api('GET', '/v1/shadow');
  if (!result.ok || !result.data?.candidate) {
    target.replaceChildren(result.ok || result.status === 404
      ? el('p', { class: 'muted', id: 'no-shadow' }, 'This server runs no shadow policy (serve --shadow-policy FILE).') : failure(result));
    return;
  }
  const d = result.data;
  target.replaceChildren(
    el('p', { id: 'shadow-summary' }, `${d.candidate}: ${d.disagreements} call${d.disagreements === 1 ? '' : 's'} where it decides otherwise than the enforced policy.`),
    d.byRule.length ? el('ul', { class: 'cards', id: 'shadow-diff', 'aria-label': 'Disagreements grouped by rule' }, ...d.byRule.map(g => el('li', { class: 'card', 'data-rule': g.rule },
      el('h3', {}, el('code', {}, g.rule || '(no rule)')),
      el('p', {}, el('span', { class: `decision-${g.before}` }, g.before), ' → ', el('span', { class: `decision-${g.after}` }, g.after), ` — ${g.count}`),
      examples(g.examples)))) : el('p', {}, 'No disagreement.'));
}

const chartDecisions = ['allow', 'ask', 'deny'];

async function renderDecisionChart(target) {
  const result = await api('GET', '/v1/history?limit=1000');
  if (!result.ok) { target.replaceChildren(el('p', { class: 'muted' }, result.status === 404 ? 'This server has no history API.' : `No history (${result.status}).`)); return; }
  const calls = (result.data.calls ?? []).filter(c => c.receivedAt && chartDecisions.includes(c.decision));
  if (!calls.length) { target.replaceChildren(el('p', {}, 'No decided call yet.')); return; }
  const times = calls.map(c => Date.parse(c.receivedAt));
  const start = Math.min(...times), end = Math.max(...times) + 1;
  const bucketCount = 24, width = 720, height = 220, pad = 30;
  const size = Math.max(1, (end - start) / bucketCount);
  const buckets = Array.from({ length: bucketCount }, () => ({ allow: 0, ask: 0, deny: 0 }));
  calls.forEach((c, i) => { buckets[Math.min(bucketCount - 1, Math.floor((times[i] - start) / size))][c.decision]++; });
  const peak = Math.max(...buckets.map(b => b.allow + b.ask + b.deny));
  const barWidth = (width - 2 * pad) / bucketCount;
  const totals = Object.fromEntries(chartDecisions.map(d => [d, calls.filter(c => c.decision === d).length]));
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc' },
    svg('title', { id: 'chart-title' }, 'Decisions over time'),
    svg('desc', { id: 'chart-desc' }, `${calls.length} calls from ${when(start)} to ${when(end)}: ${chartDecisions.map(d => `${totals[d]} ${d}`).join(', ')}.`),
    svg('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: '#333' }),
    svg('text', { x: pad, y: height - 8, 'font-size': '11', fill: '#222' }, new Date(start).toLocaleTimeString()),
    svg('text', { x: width - pad, y: height - 8, 'font-size': '11', fill: '#222', 'text-anchor': 'end' }, new Date(end).toLocaleTimeString()),
    svg('text', { x: 4, y: pad, 'font-size': '11', fill: '#222' }, String(peak)));
  buckets.forEach((b, i) => {
    let y = height - pad;
    for (const d of chartDecisions) {
      const h = b[d] / peak * (height - 2 * pad);
      if (h > 0) chart.append(svg('rect', { x: pad + i * barWidth + 1, y: y - h, width: barWidth - 2, height: h, class: `bar-${d}` },
        svg('title', {}, `${b[d]} ${d}`)));
      y -= h;
    }
  });
  target.replaceChildren(chart,
    el('ul', { class: 'legend' }, ...chartDecisions.map(d => el('li', {}, el('span', { class: `swatch sw-${d}`, 'aria-hidden': 'true' }), `${d}: ${totals[d]}`))));
}
