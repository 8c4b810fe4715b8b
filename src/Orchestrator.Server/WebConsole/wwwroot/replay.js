'use strict';
// The replay page: a candidate policy replayed over the recorded calls (POST /v1/replay), its diff grouped by rule,
// and the shadow policy's disagreements (GET /v1/shadow) where the server runs one.

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
  target.replaceChildren(el('h2', {}, 'Replay'), form, report, el('h2', {}, 'Shadow policy'), shadow,
    el('p', {}, 'Decisions over time and approval latency: ', link('#/charts', 'Charts'), '.'));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    report.replaceChildren(el('p', { class: 'muted' }, 'Replaying…'));
    const body = { replace: form.replace.checked, agent: form.agent.value || undefined, from: form.from.value || undefined, to: form.to.value || undefined,
      policies: form.policy.value.trim() ? [{ name: form.fileName.value || 'candidate.json', content: form.policy.value }] : [] };
    const result = await api('POST', '/v1/replay', body);
    report.replaceChildren(...(result.ok ? replayReport(result.data) : [failure(result)]));
  });
  renderShadow(shadow);
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
