'use strict';
// DOM helpers (text only, never HTML from data) and the console's pages besides approvals.

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : String(c));
  return node;
}

function link(href, text) { return el('a', { href }, text); }

function facts(pairs) {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    dl.append(el('dt', {}, k), el('dd', {}, typeof v === 'boolean' ? (v ? 'yes' : 'no') : v));
  }
  return dl;
}

function when(t) { return t ? new Date(t).toLocaleString() : ''; }

function table(caption, columns, rows, cell) {
  const head = el('tr', {}, ...columns.map(c => el('th', { scope: 'col' }, c)));
  const body = el('tbody', {}, ...rows.map(r => el('tr', {}, ...columns.map((c, i) => el('td', { 'data-label': c }, cell(r, i))))));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'responsive' }, el('caption', { class: 'muted' }, caption), el('thead', {}, head), body));
}

function field(id, label, input) {
  return el('div', {}, el('label', { for: id }, label), input);
}

function failure(result) { return el('p', { class: 'error', role: 'alert' }, result.data?.error ?? `Request failed (${result.status}).`); }

const Views = {
  async calls(target) {
    const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
    const texts = ['agent', 'session', 'workspace', 'tool', 'outcome', 'rule', 'from', 'to'];
    const names = [...texts, 'decision', 'limit'];
    const choice = (name, label, options, fallback) => field(`f-${name}`, label, el('select', { id: `f-${name}`, name },
      ...options.map(([value, text]) => el('option', { value, ...((params.get(name) ?? fallback) === value ? { selected: '' } : {}) }, text))));
    const form = el('form', { class: 'filters', id: 'history-filters', role: 'search', 'aria-label': 'Filter calls' },
      ...texts.map(n => field(`f-${n}`, n[0].toUpperCase() + n.slice(1), el('input', { id: `f-${n}`, name: n, type: 'text', value: params.get(n) ?? '',
        ...(n === 'from' || n === 'to' ? { placeholder: '2026-12-03T10:00:00Z' } : {}) }))),
      choice('decision', 'Decision', [['', 'any'], ['allow', 'allow'], ['ask', 'ask'], ['deny', 'deny']], ''),
      field('f-limit', 'Per page', el('input', { id: 'f-limit', name: 'limit', type: 'number', min: '1', max: '1000', value: params.get('limit') ?? '50' })),
      el('button', { type: 'submit' }, 'Filter'));
    const open = el('form', { class: 'filters', id: 'open-call' },
      field('call-id', 'Open a call by id', el('input', { id: 'call-id', name: 'id', type: 'text', required: '' })),
      el('button', { type: 'submit', class: 'secondary' }, 'Open'));
    open.addEventListener('submit', e => { e.preventDefault(); location.hash = `#/calls/${encodeURIComponent(open.id.value.trim())}`; });
    form.addEventListener('submit', e => {
      e.preventDefault();
      const query = new URLSearchParams();
      for (const n of names) if (form[n].value.trim()) query.set(n, form[n].value.trim());
      const before = location.hash;
      location.hash = `#/calls?${query}`;
      if (location.hash === before) route(); // the same filter again: read the calls again (no hashchange comes)
    });
    const results = el('div', { id: 'history' }, el('p', { class: 'muted' }, 'Loading…'));
    target.replaceChildren(el('h2', {}, 'Calls'), form, open, results);
    const query = new URLSearchParams();
    for (const n of names) if (params.get(n)) query.set(n, params.get(n));
    if (!query.has('limit')) query.set('limit', '50');
    const filtered = new URLSearchParams(query);
    if (params.get('cursor')) query.set('cursor', params.get('cursor'));
    const result = await api('GET', `/v1/history?${query}`);
    if (result.status === 404 && !result.data?.calls) {
      results.replaceChildren(el('p', {}, 'This server has no history API; open a call by its id above.'));
      return;
    }
    if (!result.ok) { results.replaceChildren(failure(result)); return; }
    const rows = result.data.calls ?? [];
    const columns = ['Time', 'Agent', 'Session', 'Workspace', 'Tool', 'Subject', 'Decision', 'Outcome', 'Rule'];
    const cellOf = (r, i) => {
      switch (i) {
        case 0: return link(`#/calls/${encodeURIComponent(r.callId)}`, when(r.receivedAt) || r.callId);
        case 1: return r.agent ?? '';
        case 2: return r.sessionId ?? '';
        case 3: return r.workspace ?? '';
        case 4: return r.tool ?? '';
        case 5: return el('code', {}, r.subject ?? '');
        case 6: return el('span', { class: `decision-${r.decision}` }, r.decision ?? '');
        case 7: return r.outcome ?? 'open';
        default: return r.rule ? `${r.rule}${r.layer ? ` (${r.layer})` : ''}` : '';
      }
    };
    const next = result.data.next;
    const pages = el('p', { class: 'pages' },
      query.has('cursor') ? link(`#/calls?${filtered}`, 'First page') : null, query.has('cursor') && next ? ' · ' : null,
      next ? link(`#/calls?${new URLSearchParams({ ...Object.fromEntries(filtered), cursor: next })}`, 'Next page') : null);
    const caption = `${rows.length} call${rows.length === 1 ? '' : 's'}${query.has('cursor') ? ' (a later page)' : ''}${next ? ', more on the next page' : ''}`;
    results.replaceChildren(rows.length ? table(caption, columns, rows, cellOf) : el('p', { id: 'no-calls' }, 'No call matches.'), pages);
  },

  async call(target, id) {
    target.replaceChildren(el('h2', {}, `Call ${id}`), el('p', { class: 'muted' }, 'Loading…'));
    const [call, events] = await Promise.all([
      api('GET', `/v1/calls/${encodeURIComponent(id)}`), api('GET', `/v1/calls/${encodeURIComponent(id)}/events`)]);
    if (!call.ok) { target.replaceChildren(el('h2', {}, `Call ${id}`), failure(call)); return; }
    const c = call.data;
    const parts = [el('h2', {}, `Call ${id}`),
      facts([['Tool', c.tool], ['Agent', c.agentId], ['Session', c.sessionId], ['Workspace', c.workspace], ['Intent', c.intent],
        ['Status', c.status], ['Decision', c.decision && el('span', { class: `decision-${c.decision}` }, c.decision)],
        ['Why', c.reasonClass && `${c.reasonClass}: ${c.reason ?? ''}`], ['Rule', c.rule], ['Outcome', c.outcome],
        ['Exit code', c.exitCode], ['Detail', c.detail],
        ['Answer', c.answer && `${c.answer.approved ? 'approved' : 'denied'} (${c.answer.scope}) by ${c.answer.answeredBy}${c.answer.reason ? `: ${c.answer.reason}` : ''}`]]),
      el('h3', {}, 'Input'), el('pre', { id: 'call-input' }, Object.entries(c.input ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n'))];
    if (c.execution) {
      const x = c.execution;
      parts.push(el('h3', {}, 'Execution'), facts([['Sandbox', x.sandbox], ['Profile digest', x.profileDigest], ['Started', when(x.startedAt)],
        ['Exit code', x.exitCode], ['Timed out', x.timedOut], ['Signal', x.signal], ['Duration', x.durationMs != null ? `${x.durationMs.toFixed(1)} ms` : null],
        ['Stdout', x.stdoutBytes != null ? `${x.stdoutBytes} bytes, ${x.stdoutDigest ?? ''}` : null],
        ['Stderr', x.stderrBytes != null ? `${x.stderrBytes} bytes, ${x.stderrDigest ?? ''}` : null]]));
    }
    if (c.postHooks) {
      const p = c.postHooks;
      parts.push(el('h3', {}, `Hooks after the run (${p.event})`), el('div', { id: 'call-post-hooks' }, facts([['Not run', p.notRun],
        ['Added context', p.additionalContext.join('\n')], ['Blocked', p.blocked.join('; ')],
        ...p.hooks.map(h => [`Hook ${h.name}`, [h.exitCode != null ? `exit ${h.exitCode}` : null, `${h.durationMs.toFixed(1)} ms`, h.reason].filter(x => x).join(' — ')])])));
    }
    if (c.output) {
      parts.push(el('h3', {}, `Output${c.output.stdoutTruncated ? ' (stdout truncated)' : ''}`), el('pre', { id: 'call-stdout', 'aria-label': 'stdout' }, c.output.stdout || '(no stdout)'));
      if (c.output.stderr) parts.push(el('h3', {}, `Errors${c.output.stderrTruncated ? ' (truncated)' : ''}`), el('pre', { 'aria-label': 'stderr' }, c.output.stderr));
    }
    parts.push(el('h3', {}, 'Events'));
    if (!events.ok) parts.push(failure(events));
    else parts.push(el('ol', { id: 'call-events', class: 'cards' }, ...events.data.events.map(eventCard)));
    target.replaceChildren(...parts);
  },

  async grants(target) {
    const result = await api('GET', '/v1/grants');
    if (!result.ok) { target.replaceChildren(el('h2', {}, 'Grants'), failure(result)); return; }
    const grants = result.data.grants;
    const revoke = async g => {
      const reason = document.getElementById(`revoke-reason-${g.grantId}`).value || undefined;
      const query = reason ? `?reason=${encodeURIComponent(reason)}` : '';
      const r = await api('DELETE', `/v1/grants/${encodeURIComponent(g.grantId)}${query}`);
      toast(r.ok ? `Revoked grant ${g.grantId}` : (r.data?.error ?? `Revoking failed (${r.status})`));
      Views.grants(target);
    };
    const columns = ['Rule', 'Scope', 'Agent', 'Session', 'By', 'At', 'Revoke'];
    target.replaceChildren(el('h2', {}, 'Grants'), grants.length ? table(`${grants.length} live grants`, columns, grants, (g, i) =>
      [g.rule, g.scope, g.agentId, g.sessionId, g.by, when(g.at)][i] ?? el('span', {},
        el('label', { for: `revoke-reason-${g.grantId}`, class: 'muted' }, 'Reason'),
        el('input', { id: `revoke-reason-${g.grantId}`, type: 'text' }), ' ',
        el('button', { type: 'button', class: 'deny', onclick: () => revoke(g) }, 'Revoke'))) : el('p', { id: 'no-grants' }, 'No live grants.'));
  },

  async tokens(target) {
    const result = await api('GET', '/v1/tokens');
    if (!result.ok) { target.replaceChildren(el('h2', {}, 'Tokens'), failure(result)); return; }
    const issued = el('div', { id: 'issued', role: 'status' });
    const form = el('form', { class: 'filters', id: 'token-form' },
      field('t-name', 'Name', el('input', { id: 't-name', name: 'name', type: 'text', required: '' })),
      field('t-role', 'Role', el('select', { id: 't-role', name: 'role' }, ...['operator', 'admin', 'agent'].map(r => el('option', { value: r }, r)))),
      field('t-agent', 'Agent (agent tokens)', el('input', { id: 't-agent', name: 'agent', type: 'text' })),
      el('button', { type: 'submit' }, 'Issue token'));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const r = await api('POST', '/v1/tokens', { name: form.name.value, role: form.role.value, agentId: form.agent.value || undefined });
      if (!r.ok) { issued.replaceChildren(failure(r)); return; }
      await Views.tokens(target);
      document.getElementById('issued').replaceChildren(el('p', {}, `Token for ${r.data.issued.name} — shown this once:`), el('p', { class: 'secret' }, el('code', {}, r.data.token)));
    });
    const revoke = async t => {
      const r = await api('DELETE', `/v1/tokens/${encodeURIComponent(t.name)}`);
      toast(r.ok ? `Revoked token ${t.name}` : (r.data?.error ?? `Revoking failed (${r.status})`));
      Views.tokens(target);
    };
    const tokens = result.data.tokens;
    target.replaceChildren(el('h2', {}, 'Tokens'), form, issued, table(`${tokens.length} tokens`, ['Name', 'Role', 'Agent', 'Created', 'Revoke'], tokens, (t, i) =>
      [t.name, t.role, t.agentId ?? '', when(t.createdAt)][i] ?? el('button', { type: 'button', class: 'deny', 'aria-label': `Revoke ${t.name}`, onclick: () => revoke(t) }, 'Revoke')));
  },

};

function eventCard(e) {
  const body = e.event ?? {};
  const decided = body.decided ?? (body.verdict ? body : null);
  const rows = [['Type', e.type], ['Sequence', e.sequenceNr]];
  const v = decided?.verdict;
  if (v) {
    rows.push(['Decision', v.decision], ['Why', `${v.reasonClass ?? ''}${v.reason ? `: ${v.reason}` : ''}`], ['Classifier', v.classifierReason],
      ['Rule', v.rule && `${v.rule.text} (${v.rule.layer} layer, ${v.rule.file}:${v.rule.line})`],
      ['Mode', v.mode && `sandbox ${v.mode.sandbox}, approval ${v.mode.approval}, network ${v.mode.network}`], ['Policy version', v.policyVersion]);
    for (const h of decided.hooks ?? []) rows.push([`Hook ${h.hook ?? h.name ?? h.command ?? ''}`, hookText(h)]);
    if (decided.coveredByGrant) rows.push(['Covered by grant', decided.coveredByGrant]);
  }
  if (!v && Array.isArray(body.hooks)) {
    rows.push(['Hook event', body.event], ['Not run', body.notRun]);
    for (const h of body.hooks) rows.push([`Hook ${h.name ?? h.command ?? ''}`, hookText(h)]);
  }
  if (body.answeredBy) rows.push(['Answer', `${body.approved ? 'approved' : 'denied'} (${body.scope}) by ${body.answeredBy}${body.reason ? `: ${body.reason}` : ''}`]);
  if (body.sandboxKind) rows.push(['Sandbox', body.sandboxKind], ['Profile digest', body.profileDigest]);
  if (body.layers) rows.push(['Sandbox layers', (body.layers.active ?? []).join('; ')], ['Unavailable layers', (body.layers.unavailable ?? []).join('; ')]);
  const r = body.result;
  if (r) rows.push(['Exit code', r.exitCode], ['Stdout', r.stdoutBytes != null ? `${r.stdoutBytes} bytes, ${r.stdoutDigest ?? ''}` : null],
    ['Stderr', r.stderrBytes != null ? `${r.stderrBytes} bytes, ${r.stderrDigest ?? ''}` : null]);
  if (body.outcome) rows.push(['Outcome', body.outcome]);
  return el('li', { class: 'card', 'data-event': e.type }, facts(rows),
    el('details', {}, el('summary', {}, 'Recorded event'), el('pre', {}, JSON.stringify(body, null, 2))));
}

function hookText(h) {
  const parts = [h.decision, h.reason ?? h.message, h.additionalContext && `context: ${h.additionalContext}`,
    h.exitCode != null ? `exit ${h.exitCode}` : null, h.outputDigest].filter(x => x !== null && x !== undefined && x !== '');
  return parts.length ? parts.join(' — ') : JSON.stringify(h);
}
