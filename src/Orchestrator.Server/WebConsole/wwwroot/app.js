'use strict';
// The console's shell: session (cookie + anti-CSRF value), routing, and the live approvals list over SSE.

const state = { who: null, csrf: null, approvals: [], total: 0, selected: 0, stream: null, settled: [], why: new Map() };

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-Csrf-Token'] = state.csrf;
  const response = await fetch(path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  return { status: response.status, ok: response.ok, data };
}

function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.textContent = ''; }, 6000);
}

async function boot() {
  document.getElementById('login-form').addEventListener('submit', signIn);
  document.getElementById('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  document.addEventListener('keydown', shortcut);
  const session = await api('GET', '/v1/session');
  if (session.ok && session.data.csrf && session.data.role !== 'agent') signedIn(session.data);
  else showLogin();
}

function showLogin() {
  state.who = null; state.csrf = null;
  if (state.stream) { state.stream.close(); state.stream = null; }
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  document.getElementById('view').replaceChildren();
  document.getElementById('login').hidden = false;
  document.getElementById('token').focus();
}

async function signIn(event) {
  event.preventDefault();
  const input = document.getElementById('token');
  const error = document.getElementById('login-error');
  error.textContent = '';
  const result = await api('POST', '/v1/session', { token: input.value });
  input.value = '';
  if (!result.ok) {
    error.textContent = result.status === 401 ? 'That token is not valid.' : (result.data?.error ?? `Sign-in failed (${result.status}).`);
    input.focus();
    return;
  }
  signedIn(result.data);
}

async function signOut() {
  await api('DELETE', '/v1/session');
  location.hash = '';
  showLogin();
}

function signedIn(who) {
  state.who = who; state.csrf = who.csrf;
  document.getElementById('login').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('nav-tokens').parentElement.hidden = who.role !== 'admin';
  document.getElementById('who').hidden = false;
  document.getElementById('who-name').textContent = `${who.name} (${who.role})`;
  openStream();
  if (!location.hash || location.hash === '#') location.hash = '#/approvals';
  else route();
}

function openStream() {
  if (state.stream) state.stream.close();
  const stream = new EventSource('/v1/approvals/stream');
  stream.addEventListener('approvals', e => receiveApprovals(JSON.parse(e.data)));
  stream.addEventListener('error', async () => {
    if (stream.readyState === EventSource.CLOSED) {
      const session = await api('GET', '/v1/session');
      if (!session.ok || !session.data.csrf) showLogin();
    }
  });
  state.stream = stream;
}

// The stream carries the first 1,000 pending approvals (earliest deadline first) and the total: one that leaves the
// list was answered or timed out, unless the list is full and it now stands after its last entry (pushed out, still pending).
function receiveApprovals({ approvals, total }) {
  const now = new Set(approvals.map(a => a.approvalId));
  const last = approvals.length < total ? approvals[approvals.length - 1] : null;
  const pushedOut = a => last !== null && standsAfter(a, last);
  for (const gone of state.approvals.filter(a => !now.has(a.approvalId) && !pushedOut(a))) settle(gone);
  state.approvals = approvals;
  state.total = total;
  for (const a of approvals) if (!state.why.has(a.approvalId)) explain(a);
  document.getElementById('pending-count').textContent = String(total);
  if (currentView() === 'approvals') renderApprovals();
}

// Whether approval a stands after b in the server's listing order: deadline (to the server's 100 ns, which
// Date.parse would cut to milliseconds), then id.
function standsAfter(a, b) {
  const [x, y] = [deadlineTicks(a.deadline), deadlineTicks(b.deadline)];
  return x > y || (x === y && a.approvalId > b.approvalId);
}

function deadlineTicks(t) {
  const fraction = /\.(\d+)/.exec(t)?.[1] ?? '';
  return BigInt(Date.parse(t.replace(/\.\d+/, ''))) * 10000n + BigInt((fraction + '0000000').slice(0, 7));
}

// The recorded decision behind an approval (rule with its layer and file:line, the classifier's reason), read once.
async function explain(a) {
  state.why.set(a.approvalId, null);
  const events = await api('GET', `/v1/calls/${encodeURIComponent(a.callId)}/events`);
  const decided = events.ok ? events.data.events.map(e => e.event?.decided ?? (e.event?.verdict ? e.event : null)).find(d => d) : null;
  const v = decided?.verdict;
  if (!v) return;
  state.why.set(a.approvalId, {
    rule: v.rule ? `${v.rule.text} (${v.rule.layer} layer, ${v.rule.file}:${v.rule.line})` : null,
    classifier: v.classifierReason,
  });
  const target = document.querySelector(`[data-why="${CSS.escape(a.approvalId)}"]`);
  if (target) target.replaceWith(whyFacts(a));
}

function whyFacts(a) {
  const why = state.why.get(a.approvalId);
  const node = facts([['Rule', why?.rule], ['Classifier', why?.classifier]]);
  node.dataset.why = a.approvalId;
  return node;
}

// An approval that left the list: who answered it and how its call ended (another operator, a timeout, or us).
async function settle(approval) {
  const call = await api('GET', `/v1/calls/${encodeURIComponent(approval.callId)}`);
  const entry = { approval, call: call.ok ? call.data : null };
  state.settled = [entry, ...state.settled.filter(s => s.approval.approvalId !== approval.approvalId)].slice(0, 20);
  if (call.ok && call.data.status !== 'completed' && call.data.status !== 'interrupted') {
    setTimeout(() => settle(approval), 500);
  }
  if (currentView() === 'approvals') renderApprovals();
}

function currentView() { return (location.hash.split('?')[0].split('/')[1] || 'approvals'); }

function route() {
  if (!state.who) return;
  const parts = location.hash.split('?')[0].replace(/^#\/?/, '').split('/');
  const view = parts[0] || 'approvals';
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  const target = document.getElementById('view');
  target.replaceChildren();
  switch (view) {
    case 'approvals': renderApprovals(); break;
    case 'calls': parts[1] ? Views.call(target, decodeURIComponent(parts[1])) : Views.calls(target); break;
    case 'grants': Views.grants(target); break;
    case 'tokens': Views.tokens(target); break;
    case 'replay': Views.replay(target); break;
    case 'charts': Views.charts(target); break;
    default: target.append(el('p', {}, 'No such page.'));
  }
}

function timeLeft(deadline) {
  const seconds = Math.max(0, Math.round((new Date(deadline) - Date.now()) / 1000));
  return seconds >= 120 ? `${Math.floor(seconds / 60)} min left` : `${seconds} s left`;
}

function renderApprovals() {
  const target = document.getElementById('view');
  const focusedId = document.activeElement?.closest?.('[data-approval]')?.dataset.approval;
  const list = el('ul', { class: 'cards', id: 'approvals', 'aria-label': 'Pending approvals' });
  state.selected = Math.min(state.selected, Math.max(0, state.approvals.length - 1));
  state.approvals.forEach((a, i) => list.append(approvalCard(a, i)));
  const settled = el('ul', { class: 'cards', id: 'settled', 'aria-label': 'Recently answered' });
  for (const s of state.settled) settled.append(settledCard(s));
  target.replaceChildren(
    el('h2', {}, `Pending approvals (${state.total})`),
    ...(state.total > state.approvals.length
      ? [el('p', { class: 'muted', id: 'more-approvals' }, `Showing the ${state.approvals.length} with the earliest deadlines; answer these and the next appear.`)]
      : []),
    el('p', { class: 'muted', id: 'shortcuts' }, 'Keys: j/k move, a approve once, s approve for the session, d deny, r focus the reason.'),
    state.approvals.length ? list : el('p', { id: 'no-approvals' }, 'Nothing is waiting for an answer.'),
    el('h2', {}, 'Recently answered'),
    state.settled.length ? settled : el('p', { class: 'muted' }, 'None yet.'));
  const again = focusedId && target.querySelector(`[data-approval="${CSS.escape(focusedId)}"]`);
  if (again) again.focus();
}

// team: the asking session's lead (itself when it has no parent) and every sub-session declared under it.
const answerScopes = ['once', 'session', 'team', 'always'];

function approvalCard(a, index) {
  const id = a.approvalId;
  const scope = el('select', { id: `scope-${id}`, name: 'scope' },
    ...answerScopes.map(s => el('option', { value: s, ...(s === a.requestedScope ? { selected: '' } : {}) }, s)));
  const reason = el('input', { id: `reason-${id}`, name: 'reason', type: 'text', maxlength: '2000' });
  const card = el('li', { class: 'card', tabindex: '0', 'data-approval': id, 'data-selected': String(index === state.selected),
      'aria-label': a.summary },
    el('p', { class: 'summary' }, el('code', {}, a.summary)),
    facts([['Tool', a.tool], ['Agent', a.agentId], ['Session', a.sessionId], ['Parent session', a.parentSessionId],
      ['Approver group', a.approverGroup],
      ['Why', `${a.reasonClass}: ${a.reason}`], ['Requested scope', a.requestedScope],
      ['Escalation', String(a.escalationLevel)], ['Call', link(`#/calls/${encodeURIComponent(a.callId)}`, a.callId)],
      ['Time left', el('span', { class: 'time-left', 'data-deadline': a.deadline }, timeLeft(a.deadline))]]),
    whyFacts(a),
    el('div', { class: 'answer' },
      el('div', {}, el('label', { for: `scope-${id}` }, 'Scope'), scope),
      el('div', {}, el('label', { for: `reason-${id}` }, 'Reason'), reason),
      el('button', { type: 'button', class: 'approve', onclick: () => answer(a, 'approve') }, 'Approve'),
      el('button', { type: 'button', class: 'deny', onclick: () => answer(a, 'deny') }, 'Deny')),
    el('p', { class: 'error', role: 'alert', id: `answer-error-${id}` }));
  card.addEventListener('focus', () => { state.selected = index; markSelected(); });
  return card;
}

function settledCard({ approval, call }) {
  const answerText = call?.answer
    ? `${call.answer.approved ? 'approved' : 'denied'} (${call.answer.scope}) by ${call.answer.answeredBy}` + (call.answer.reason ? `: ${call.answer.reason}` : '')
    : 'no answer recorded (timed out or withdrawn)';
  return el('li', { class: 'card', 'data-settled': approval.approvalId },
    el('p', { class: 'summary' }, el('code', {}, approval.summary)),
    facts([['Answer', answerText], ['Call', link(`#/calls/${encodeURIComponent(approval.callId)}`, approval.callId)],
      ['Status', call ? `${call.status}${call.outcome ? ` — ${call.outcome}` : ''}${call.exitCode != null ? ` (exit ${call.exitCode})` : ''}` : 'unknown']]));
}

async function answer(a, decision, scopeOverride) {
  const scope = scopeOverride ?? document.getElementById(`scope-${a.approvalId}`)?.value ?? 'once';
  const reason = document.getElementById(`reason-${a.approvalId}`)?.value || undefined;
  const result = await api('POST', `/v1/approvals/${encodeURIComponent(a.approvalId)}`, { decision, scope, reason });
  const error = document.getElementById(`answer-error-${a.approvalId}`);
  if (result.ok) {
    toast(`${decision === 'approve' ? 'Approved' : 'Denied'} (${scope}): ${a.summary}`);
    return;
  }
  const first = result.data?.firstAnswer;
  const text = first
    ? `Already answered by ${first.answeredBy}: ${first.approved ? 'approved' : 'denied'} (${first.scope}) at ${new Date(first.answeredAt).toLocaleTimeString()}`
    : (result.data?.error ?? `The answer failed (${result.status}).`);
  if (error) error.textContent = text;
  toast(text);
}

function markSelected() {
  document.querySelectorAll('#approvals [data-approval]').forEach((c, i) => c.setAttribute('data-selected', String(i === state.selected)));
}

function shortcut(event) {
  if (!state.who || currentView() !== 'approvals' || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.matches('input, textarea, select')) return;
  const a = state.approvals[state.selected];
  const cards = [...document.querySelectorAll('#approvals [data-approval]')];
  switch (event.key) {
    case 'j': state.selected = Math.min(state.selected + 1, cards.length - 1); cards[state.selected]?.focus(); break;
    case 'k': state.selected = Math.max(state.selected - 1, 0); cards[state.selected]?.focus(); break;
    case 'a': if (a) answer(a, 'approve', 'once'); break;
    case 's': if (a) answer(a, 'approve', 'session'); break;
    case 'd': if (a) answer(a, 'deny'); break;
    case 'r': if (a) { document.getElementById(`reason-${a.approvalId}`)?.focus(); } break;
    default: return;
  }
  event.preventDefault();
}

setInterval(() => {
  for (const span of document.querySelectorAll('[data-deadline]')) span.textContent = timeLeft(span.dataset.deadline);
}, 1000);

boot();
