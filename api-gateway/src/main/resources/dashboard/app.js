// The dashboard: overview (nodes, queue, charts, live events, submit form) and a page per task (#/tasks/ID).
// Data comes from the HTTP API (polled) and the live events of the SockJS bridge.
import { api, token, onUnauthorized } from './api.js';
import { EventBus } from './bus.js';
import { Rolling, count, mean, lineChart } from './charts.js';

const POLL_MS = 2000;
const FEED_MAX = 300;
const TERMINAL = new Set(['succeeded', 'failed', 'timed_out', 'cancelled']);
const ENDED_EVENTS = new Set(['task:completed', 'task:failed', 'task:timed_out', 'task:cancelled']);
const PRIORITIES = ['critical', 'high', 'normal', 'low'];

const $ = (id) => document.getElementById(id);

/** An element with attributes and children (strings become text nodes: nothing is parsed as HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k === 'style') node.style.cssText = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

const time = (ms) => (ms ? new Date(ms).toLocaleTimeString() : '');
const dateTime = (ms) => (ms ? new Date(ms).toLocaleString() : '');
const pct = (part, whole) => (whole > 0 ? Math.max(0, Math.min(100, (100 * part) / whole)) : 0);
const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------- token

let started = false;

function askForToken(message) {
  const dialog = $('token-dialog');
  $('token-error').hidden = !message;
  $('token-error').textContent = message || '';
  if (!dialog.open) dialog.showModal();
  $('token').focus();
}

onUnauthorized(() => {
  const had = token.get();
  token.clear();
  stopLive();
  askForToken(had ? 'That token was refused.' : '');
});

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('token').value.trim();
  if (!value) return;
  token.set(value);
  $('token').value = '';
  $('token-dialog').close();
  start();
});

$('forget-token').addEventListener('click', () => {
  token.clear();
  stopLive();
  askForToken('');
});

// ---------------------------------------------------------------- live events and stats

const bus = new EventBus('mastermind.events', onEvent, (state, text) => {
  $('live').dataset.state = paused && state === 'on' ? 'paused' : state;
  $('live').textContent = text;
});

const submittedAt = new Map();
const startedAt = new Map();
const ended = new Rolling();
const waits = new Rolling();
const runs = new Rolling();
const feed = [];
let paused = false;
let missed = 0;
let pollTimer = null;
let chartTimer = null;

function remember(map, id, at) {
  map.set(id, at);
  if (map.size > 10000) map.delete(map.keys().next().value);
}

function onEvent(event) {
  const id = event.taskId;
  const at = event.timestamp || Date.now();
  if (event.event === 'task:submitted' && id) remember(submittedAt, id, event.data?.submittedAt || at);
  if (event.event === 'task:started' && id) {
    remember(startedAt, id, at);
    if (submittedAt.has(id)) waits.add(at, at - submittedAt.get(id));
  }
  if (ENDED_EVENTS.has(event.event) && id) {
    ended.add(at);
    if (startedAt.has(id)) runs.add(at, at - startedAt.get(id));
    submittedAt.delete(id);
    startedAt.delete(id);
    chartsSoon();
  }
  feed.unshift(event);
  if (feed.length > FEED_MAX) feed.pop();
  if (paused) {
    missed++;
    $('feed-count').textContent = `${missed} new while paused`;
  } else {
    feedSoon();
  }
  onTaskEvent(event);
  if (event.event?.startsWith('node:') || event.event === 'cluster:leader') schedulePoll(200);
}

function matches(event) {
  const kind = $('feed-kind').value;
  const text = $('feed-filter').value.trim().toLowerCase();
  if (kind && !event.event?.startsWith(kind)) return false;
  if (!text) return true;
  return [event.event, event.taskId, event.nodeId, event.data?.nodeId, event.data?.node]
    .some((v) => v && String(v).toLowerCase().includes(text));
}

function feedItem(event) {
  const data = event.data || {};
  const detail = event.taskId
    ? [el('a', { href: `#/tasks/${encodeURIComponent(event.taskId)}` }, event.taskId), ' ', data.node || data.status || data.function || '']
    : [event.nodeId || '', ' ', data.state || data.kind || (data.epoch !== undefined ? `epoch ${data.epoch}` : '')];
  return el('li', { 'data-event': event.event, 'data-task-id': event.taskId },
    el('span', { class: 'muted' }, time(event.timestamp)), el('span', { class: 'ev' }, event.event),
    el('span', { class: 'detail', title: JSON.stringify(data) }, ...detail));
}

let feedPending = false;
/** Redraws the feed once per frame however many events arrive in it. */
function feedSoon() {
  if (feedPending) return;
  feedPending = true;
  requestAnimationFrame(() => { feedPending = false; renderFeed(); });
}

function renderFeed() {
  const shown = feed.filter(matches).slice(0, 100);
  $('feed').replaceChildren(...shown.map(feedItem));
  if (!paused) $('feed-count').textContent = `${shown.length} shown`;
}

$('feed-pause').addEventListener('click', () => {
  paused = !paused;
  $('feed-pause').textContent = paused ? 'Resume' : 'Pause';
  if ($('live').dataset.state === 'on' || $('live').dataset.state === 'paused') $('live').dataset.state = paused ? 'paused' : 'on';
  missed = 0;
  renderFeed();
});
$('feed-kind').addEventListener('change', renderFeed);
$('feed-filter').addEventListener('input', renderFeed);

// ---------------------------------------------------------------- overview

function meter(label, reservedPart, usedPart, whole) {
  return el('div', { class: 'meter' }, label,
    el('div', { class: 'bar' },
      el('span', { class: 'reserved', style: `width:${pct(reservedPart, whole)}%` }),
      el('span', { class: 'used', style: `width:${pct(usedPart, whole)}%` })));
}

function nodeCard(node, leaderId) {
  const cores = node.resources?.cpu?.cores || 0;
  const cpuReserved = cores - (node.resources?.cpu?.available || 0);
  const cpuUsed = (node.metrics?.cpu?.usage || 0) * cores;
  const memTotal = node.resources?.memory?.total || 0;
  const memReserved = memTotal - (node.resources?.memory?.available || 0);
  const hostUsed = node.metrics?.memory?.used || 0;
  const hostTotal = hostUsed + (node.metrics?.memory?.available || 0);
  return el('div', { class: 'node', 'data-node-id': node.id, 'data-state': node.state },
    el('header', {}, el('strong', {}, node.id), node.id === leaderId ? el('span', { class: 'leader' }, '★ leader') : null,
      el('span', { class: 'badge', 'data-state': node.state }, node.state)),
    el('div', { class: 'tags' }, (node.capabilities || []).map((c) => el('span', { class: 'tag' }, c)),
      node.resources?.gpu ? el('span', { class: 'tag' }, 'gpu') : null),
    meter(`cpu ${round(cpuReserved)}/${cores} cores reserved · ${Math.round((node.metrics?.cpu?.usage || 0) * 100)}% used`,
      cpuReserved, cpuUsed, cores),
    meter(`memory ${memReserved}/${memTotal} MB reserved · host ${Math.round(pct(hostUsed, hostTotal))}% used`,
      memReserved, pct(hostUsed, hostTotal) * memTotal / 100, memTotal),
    el('div', { class: 'muted' }, `running ${node.runningTasks ?? 0}`, node.reason ? ` · ${node.reason}` : ''));
}

function renderCluster(cluster, nodes) {
  const leader = cluster.leader || {};
  $('leader').textContent = `leader: ${leader.nodeId || 'none'} · epoch ${leader.epoch ?? '?'}`;
  $('node-count').textContent = `(${nodes.length})`;
  $('nodes').replaceChildren(...nodes.map((n) => nodeCard(n, leader.nodeId)));
  const byPriority = cluster.queueByPriority || {};
  const most = Math.max(1, ...PRIORITIES.map((p) => byPriority[p] || 0));
  $('queue').replaceChildren(
    el('div', { class: 'muted' }, `${cluster.queue ?? 0} queued`),
    ...PRIORITIES.map((p) => el('div', { class: 'qrow', 'data-priority': p }, p,
      el('div', { class: 'bar' }, el('span', { style: `width:${pct(byPriority[p] || 0, most)}%` })),
      el('span', {}, String(byPriority[p] || 0)))));
  $('statuses').replaceChildren(...Object.entries(cluster.tasks || {})
    .map(([status, n]) => el('span', { class: 'tag', 'data-status': status }, `${status} ${n}`)));
}

async function refresh() {
  const [cluster, nodes] = await Promise.all([api('/api/v1/cluster'), api('/api/v1/nodes')]);
  renderCluster(cluster, nodes.nodes || []);
}

function schedulePoll(delay) {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => {
    try { await refresh(); } catch (e) { console.warn('refresh failed', e); }
    if (started) schedulePoll(POLL_MS);
  }, delay);
}

let chartsPending = false;
/** Redraws the charts within a second of an event, at most once a second however many arrive. */
function chartsSoon() {
  if (chartsPending || !throughputChart) return;
  chartsPending = true;
  setTimeout(() => { chartsPending = false; renderCharts(); }, 1000);
}

let throughputChart;
let latencyChart;
function renderCharts() {
  const [xs, done] = ended.series(count);
  throughputChart.update([xs, done.map((v) => v ?? 0)]);
  const [, wait] = waits.series(mean);
  const [, run] = runs.series(mean);
  latencyChart.update([xs, wait, run]);
}

// ---------------------------------------------------------------- submit form

let watched = null;

$('submit-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const status = $('submit-status');
  let data;
  try {
    data = JSON.parse($('f-data').value || '{}');
  } catch (err) {
    status.textContent = `data is not JSON: ${err.message}`;
    return;
  }
  const requirements = {};
  if ($('f-cpu').value) requirements.cpu = Number($('f-cpu').value);
  if ($('f-memory').value) requirements.memory = Number($('f-memory').value);
  if ($('f-gpu').checked) requirements.gpu = true;
  const task = { type: $('f-type').value, priority: $('f-priority').value, payload: { function: $('f-function').value.trim(), data } };
  if (Object.keys(requirements).length) task.requirements = requirements;
  $('f-submit').disabled = true;
  try {
    const record = await api('/api/v1/tasks', { method: 'POST', body: task });
    watched = record.id;
    showWatched(record.id, record.status);
    // a quick task can end before this answer arrives: its events went by while it was not watched yet
    if (!TERMINAL.has(record.status)) {
      api(`/api/v1/tasks/${encodeURIComponent(record.id)}`).then(showWatchedRecord).catch(() => {});
    }
  } catch (err) {
    status.textContent = `refused: ${err.code || err.status} ${err.message}`;
  } finally {
    $('f-submit').disabled = false;
  }
});

/** The watched task's record; an answer that arrives late never replaces an ended state with an earlier one. */
function showWatchedRecord(r) {
  const status = $('submit-status');
  if (r.id !== watched || (status.dataset.ended === 'true' && status.dataset.taskId === r.id && !TERMINAL.has(r.status))) {
    return;
  }
  showWatched(r.id, r.status + (r.result !== undefined ? ` → ${JSON.stringify(r.result).slice(0, 120)}` : ''));
  status.dataset.ended = String(TERMINAL.has(r.status));
}

function showWatched(id, text) {
  const status = $('submit-status');
  if (status.dataset.taskId !== id) {
    status.dataset.ended = 'false';
  }
  status.dataset.taskId = id;
  status.dataset.status = text;
  status.replaceChildren('task ', el('a', { href: `#/tasks/${encodeURIComponent(id)}` }, id), `: ${text}`);
}

// ---------------------------------------------------------------- task page

let shownTask = null;
let taskTimer = null;

function onTaskEvent(event) {
  if (event.taskId && event.taskId === watched) {
    const text = event.event.replace('task:', '');
    if (ENDED_EVENTS.has(event.event)) {
      api(`/api/v1/tasks/${encodeURIComponent(event.taskId)}`)
        .then(showWatchedRecord)
        .catch(() => showWatched(event.taskId, text));
    } else if ($('submit-status').dataset.ended !== 'true') {
      showWatched(event.taskId, text);
    }
  }
  if (event.taskId && event.taskId === shownTask) {
    $('t-events').prepend(feedItem(event));
    taskSoon();
  }
}

let taskPending = false;
/** Reloads the task shown at most once per 250 ms while its events arrive (progress comes often). */
function taskSoon() {
  if (taskPending) return;
  taskPending = true;
  setTimeout(() => { taskPending = false; if (shownTask) loadTask(shownTask); }, 250);
}

async function loadTask(id) {
  let r;
  try {
    r = await api(`/api/v1/tasks/${encodeURIComponent(id)}`);
  } catch (err) {
    if (id !== shownTask) return;
    $('t-status').textContent = err.status === 404 ? 'not found' : err.message;
    $('t-status').dataset.state = 'failed';
    return;
  }
  if (id !== shownTask) return;
  $('t-status').textContent = r.status;
  $('t-status').dataset.state = r.status;
  $('t-progress').style.width = `${pct(r.status === 'succeeded' ? 1 : r.progress || 0, 1)}%`;
  const blocked = $('t-blocked');
  blocked.hidden = !(r.blockedBy || r.reason) || TERMINAL.has(r.status);
  blocked.dataset.dimension = r.blockedBy?.dimension || '';
  blocked.replaceChildren(
    r.blockedBy ? el('strong', {}, `Blocked by ${r.blockedBy.dimension}`) : el('strong', {}, 'Waiting'),
    r.blockedBy?.position ? ` · position ${r.blockedBy.position} in the queue` : '',
    r.reason ? el('div', { class: 'muted' }, r.reason) : '');
  const fields = [['type', r.type], ['function', r.function], ['priority', r.priority], ['node', r.node],
    ['attempts', r.attempts], ['retries', `${r.retries ?? 0} of ${r.maxRetries ?? 0}`], ['progress', `${Math.round((r.progress || 0) * 100)}%`],
    ['submitted', dateTime(r.submittedAt)], ['started', dateTime(r.startedAt)], ['finished', dateTime(r.finishedAt)],
    ['timeout', r.timeout !== undefined ? `${r.timeout} ms` : '']];
  $('t-fields').replaceChildren(...fields.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, String(v))]));
  const outcome = r.error !== undefined ? ['Error', r.error] : r.result !== undefined ? ['Result', r.result] : null;
  $('t-outcome-title').hidden = $('t-outcome').hidden = !outcome;
  if (outcome) {
    $('t-outcome-title').textContent = outcome[0];
    $('t-outcome').textContent = JSON.stringify(outcome[1], null, 2);
  }
  $('t-cancel').hidden = TERMINAL.has(r.status);
  $('t-json').textContent = JSON.stringify(r, null, 2);
}

$('t-cancel').addEventListener('click', async () => {
  try { await api(`/api/v1/tasks/${encodeURIComponent(shownTask)}`, { method: 'DELETE' }); } catch (e) { console.warn(e); }
  loadTask(shownTask);
});

$('lookup').addEventListener('submit', (e) => {
  e.preventDefault();
  const id = $('lookup-id').value.trim();
  if (id) location.hash = `#/tasks/${encodeURIComponent(id)}`;
});

function route() {
  const m = location.hash.match(/^#\/tasks\/(.+)$/);
  clearInterval(taskTimer);
  if (m) {
    shownTask = decodeURIComponent(m[1]);
    $('overview').hidden = true;
    $('task-page').hidden = false;
    $('t-id').textContent = shownTask;
    $('t-events').replaceChildren(...feed.filter((e) => e.taskId === shownTask).map(feedItem));
    $('t-status').textContent = '…';
    if (started) loadTask(shownTask);
    taskTimer = setInterval(() => started && loadTask(shownTask), POLL_MS);
  } else {
    shownTask = null;
    $('task-page').hidden = true;
    $('overview').hidden = false;
  }
}
window.addEventListener('hashchange', route);

// ---------------------------------------------------------------- start

function stopLive() {
  started = false;
  clearTimeout(pollTimer);
  clearInterval(chartTimer);
  bus.close();
  $('forget-token').hidden = true;
}

async function start() {
  try {
    await refresh();
  } catch (err) {
    if (err.status === 403) {
      // a token without the read scope: asking again for the same token would not help
      $('leader').textContent = `this token may not read the cluster (403): use a token with the read scope — ${err.message}`;
      $('forget-token').hidden = false;
    } else if (err.status !== 401) {
      $('leader').textContent = `cannot reach the API: ${err.message}`;
      setTimeout(start, POLL_MS);
    }
    return; // a 401 opened the token dialog
  }
  started = true;
  $('forget-token').hidden = !token.get();
  bus.connect(token.get());
  schedulePoll(POLL_MS);
  renderCharts();
  chartTimer = setInterval(renderCharts, 5000);
  if (shownTask) loadTask(shownTask);
}

throughputChart = lineChart($('chart-throughput'), ['ended'], [getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()]);
latencyChart = lineChart($('chart-latency'), ['submit→start', 'run time'], ['#c98a00', '#1f9d55'], true);
route();
start();
