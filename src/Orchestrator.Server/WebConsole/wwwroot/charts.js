'use strict';
// The charts page: decisions over time (allow/ask/deny, from GET /v1/history) and approval latency (from an approval
// being raised to its answer, read from the asked calls' recorded events). Inline SVG, each with a title and a
// description, and the same numbers as a table for whoever does not see the picture.

const chartDecisions = ['allow', 'ask', 'deny'];
const historyCap = 10000, latencyCap = 200;
const latencyBuckets = [[0, '< 10 s'], [10, '10-30 s'], [30, '30 s-1 min'], [60, '1-5 min'], [300, '5-15 min'], [900, '15 min or more']];
const bucketSizes = [1, 5, 10, 30, 60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86400, 7 * 86400].map(s => s * 1000);

Views.charts = async function (target) {
  const decisions = el('section', { id: 'decisions-chart', 'aria-labelledby': 'decisions-heading' },
    el('h3', { id: 'decisions-heading' }, 'Decisions over time'), el('p', { class: 'muted' }, 'Loading…'));
  const latency = el('section', { id: 'latency-chart', 'aria-labelledby': 'latency-heading' },
    el('h3', { id: 'latency-heading' }, 'Approval latency'), el('p', { class: 'muted' }, 'Loading…'));
  target.replaceChildren(el('h2', {}, 'Charts'), decisions, latency);
  const history = await recordedCalls();
  if (history.error) {
    const problem = history.error.status === 404 ? el('p', {}, 'This server has no history API.') : failure(history.error);
    decisions.replaceChildren(decisions.firstChild, problem);
    latency.replaceChildren(latency.firstChild, problem.cloneNode(true));
    return;
  }
  decisions.replaceChildren(decisions.firstChild, ...decisionChart(history.calls, history.truncated));
  latency.replaceChildren(latency.firstChild, ...await latencyChart(history.calls.filter(c => c.decision === 'ask')));
};

/** Every recorded call, page by page, up to historyCap. */
async function recordedCalls() {
  const calls = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const result = await api('GET', `/v1/history?${query}`);
    if (!result.ok) return { error: result };
    calls.push(...result.data.calls);
    cursor = result.data.next;
  } while (cursor && calls.length < historyCap);
  return { calls, truncated: Boolean(cursor) };
}

function decisionChart(all, truncated) {
  const calls = all.filter(c => chartDecisions.includes(c.decision));
  if (!calls.length) return [el('p', { id: 'no-decisions' }, 'No decided call yet.')];
  const times = calls.map(c => Date.parse(c.receivedAt));
  const first = Math.min(...times), last = Math.max(...times);
  const size = bucketSizes.find(s => (last - first) / s < 24) ?? bucketSizes.at(-1);
  const start = Math.floor(first / size) * size;
  const buckets = Array.from({ length: Math.floor((last - start) / size) + 1 }, (_, i) => ({ at: start + i * size, allow: 0, ask: 0, deny: 0 }));
  calls.forEach((c, i) => buckets[Math.floor((times[i] - start) / size)][c.decision]++);
  const totals = Object.fromEntries(chartDecisions.map(d => [d, calls.filter(c => c.decision === d).length]));
  const summary = `${calls.length} decided calls from ${when(first)} to ${when(last)}` +
    `${truncated ? ` (the first ${all.length} recorded)` : ''}: ${chartDecisions.map(d => `${totals[d]} ${d}`).join(', ')}; ` +
    `one bar per ${duration(size)}.`;
  const width = 720, height = 220, pad = 32, peak = Math.max(...buckets.map(b => b.allow + b.ask + b.deny));
  const barWidth = (width - 2 * pad) / buckets.length;
  const chart = chartFrame('decisions', 'Decisions over time', summary, width, height, pad,
    axisTime(start, size), axisTime(start + buckets.length * size, size), peak);
  buckets.forEach((b, i) => {
    let y = height - pad;
    for (const d of chartDecisions) {
      const h = b[d] / peak * (height - 2 * pad);
      if (h > 0) chart.append(svg('rect', { x: pad + i * barWidth + 1, y: y - h, width: Math.max(1, barWidth - 2), height: h, class: `bar-${d}` },
        svg('title', {}, `${b[d]} ${d} from ${when(b.at)}`)));
      y -= h;
    }
  });
  return [chart,
    el('ul', { class: 'legend', 'aria-label': 'Totals' }, ...chartDecisions.map(d =>
      el('li', { 'data-decision': d, 'data-count': String(totals[d]) }, el('span', { class: `swatch sw-${d}`, 'aria-hidden': 'true' }), `${d}: ${totals[d]}`))),
    el('details', {}, el('summary', {}, 'The numbers as a table'),
      table(`Decided calls per ${duration(size)}`, ['From', ...chartDecisions], buckets.filter(b => b.allow + b.ask + b.deny > 0),
        (b, i) => i === 0 ? when(b.at) : String(b[chartDecisions[i - 1]])))];
}

async function latencyChart(asked) {
  const recent = asked.slice(-latencyCap);
  const answers = [];
  for (let i = 0; i < recent.length; i += 8)
    answers.push(...await Promise.all(recent.slice(i, i + 8).map(approvalOf)));
  const answered = answers.filter(a => a && a.answeredAt !== null);
  const unanswered = answers.filter(a => a && a.answeredAt === null).length;
  const scope = recent.length < asked.length ? `the latest ${recent.length} of ${asked.length} asked calls` : `${asked.length} asked call${asked.length === 1 ? '' : 's'}`;
  if (!answered.length) return [el('p', { id: 'no-latency' }, `No answered approval among ${scope}${unanswered ? ` (${unanswered} not answered)` : ''}.`)];
  const seconds = answered.map(a => a.seconds).sort((x, y) => x - y);
  const counts = latencyBuckets.map(([from], i) => seconds.filter(s => s >= from && (i + 1 === latencyBuckets.length || s < latencyBuckets[i + 1][0])).length);
  const summary = `${answered.length} answered approval${answered.length === 1 ? '' : 's'} among ${scope}: median ${latencyText(percentile(seconds, 0.5))}, ` +
    `90th percentile ${latencyText(percentile(seconds, 0.9))}, longest ${latencyText(seconds.at(-1))}` +
    `${unanswered ? `; ${unanswered} not answered (timed out, withdrawn or still waiting)` : ''}.`;
  const width = 720, height = 220, pad = 32, peak = Math.max(...counts);
  const barWidth = (width - 2 * pad) / counts.length;
  const chart = chartFrame('latency', 'Approval latency', summary, width, height, pad, null, null, peak);
  counts.forEach((n, i) => {
    const h = n / peak * (height - 2 * pad - 14), x = pad + i * barWidth;
    if (n > 0) chart.append(svg('rect', { x: x + 4, y: height - pad - h, width: barWidth - 8, height: h, class: 'bar-latency' },
      svg('title', {}, `${n} answered in ${latencyBuckets[i][1]}`)));
    chart.append(svg('text', { x: x + barWidth / 2, y: height - pad - h - 4, 'font-size': '12', fill: '#222', 'text-anchor': 'middle' }, String(n)),
      svg('text', { x: x + barWidth / 2, y: height - 10, 'font-size': '11', fill: '#222', 'text-anchor': 'middle' }, latencyBuckets[i][1]));
  });
  return [chart, el('p', { id: 'latency-summary' }, summary),
    el('details', {}, el('summary', {}, 'Each answered approval'),
      table(`${answered.length} answered approvals`, ['Call', 'Raised', 'Answered', 'Latency', 'Answer'], answered, (a, i) =>
        [link(`#/calls/${encodeURIComponent(a.callId)}`, a.callId), when(a.raisedAt), when(a.answeredAt),
          el('span', { 'data-seconds': String(a.seconds) }, latencyText(a.seconds)), `${a.approved ? 'approved' : 'denied'} by ${a.answeredBy}`][i]))];
}

/** When a call's approval was first raised and when (and how) it was answered, from its recorded events. */
async function approvalOf(call) {
  const result = await api('GET', `/v1/calls/${encodeURIComponent(call.callId)}/events`);
  if (!result.ok) return null;
  const found = { raised: [], answers: [] };
  const walk = node => {
    if (!node || typeof node !== 'object') return;
    if (node.approvalId && node.requestedAt) found.raised.push(Date.parse(node.requestedAt));
    if (node.approvalId && node.answeredAt && node.answeredBy) found.answers.push(node);
    Object.values(node).forEach(walk);
  };
  result.data.events.forEach(e => walk(e.event));
  if (!found.raised.length) return null;
  const raisedAt = Math.min(...found.raised);
  const answer = found.answers[0];
  if (!answer) return { callId: call.callId, raisedAt, answeredAt: null };
  const answeredAt = Date.parse(answer.answeredAt);
  return { callId: call.callId, raisedAt, answeredAt, seconds: Math.max(0, (answeredAt - raisedAt) / 1000),
    approved: answer.approved, answeredBy: answer.answeredBy };
}

function chartFrame(name, title, description, width, height, pad, startLabel, endLabel, peak) {
  const text = (x, y, anchor, value) => svg('text', { x, y, 'font-size': '11', fill: '#222', 'text-anchor': anchor }, value);
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${name}-title ${name}-desc` },
    svg('title', { id: `${name}-title` }, title), svg('desc', { id: `${name}-desc` }, description),
    svg('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: '#333' }),
    text(pad - 4, pad + 4, 'end', String(peak)), text(pad - 4, height - pad, 'end', '0'));
  if (startLabel) chart.append(text(pad, height - 10, 'start', startLabel), text(width - pad, height - 10, 'end', endLabel));
  return chart;
}

function axisTime(t, size) { return size < 3600 * 1000 ? new Date(t).toLocaleTimeString() : when(t); }

function percentile(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]; }

function latencyText(s) { return s < 1 ? `${Math.round(s * 1000)} ms` : s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`; }

function duration(ms) {
  const s = ms / 1000;
  return s < 60 ? `${s} s` : s < 3600 ? `${s / 60} min` : s < 86400 ? `${s / 3600} h` : `${s / 86400} d`;
}
