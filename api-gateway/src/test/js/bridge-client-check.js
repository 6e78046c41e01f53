// Drives a running Mastermind node through the official Vert.x event-bus client
// (@vertx/eventbus-bridge-client.js over sockjs-client), as a browser page would.
//
//   MASTERMIND_URL=http://127.0.0.1:8080 [MASTERMIND_TOKEN=t] [SOCKJS_TRANSPORTS=websocket|xhr-streaming|xhr-polling] node bridge-client-check.js
//
// Prints one line per check and a closing "N passed, N failed"; exits 1 on any failure.
'use strict';

const EventBus = require('@vertx/eventbus-bridge-client.js');

const base = (process.env.MASTERMIND_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const token = process.env.MASTERMIND_TOKEN;
const transports = process.env.SOCKJS_TRANSPORTS;
const url = base + '/eventbus' + (token ? '?access_token=' + encodeURIComponent(token) : '');
const INVALID_FIELD = 4001; // io.mastermind.protocol.ErrorCode.INVALID_FIELD.failureCode()

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log('ok   ' + name);
  } else {
    failed++;
    console.log('FAIL ' + name + (detail === undefined ? '' : ': ' + JSON.stringify(detail)));
  }
}

const taskId = 'js-client-' + Date.now();
const eb = new EventBus(url, transports ? { transports: transports.split(',') } : {});
const seen = [];
const bridgeErrors = [];
let finished = false;

const deadline = setTimeout(() => finish('timed out after 30 s'), 30000);

function finish(reason) {
  if (finished) return;
  finished = true;
  clearTimeout(deadline);
  if (reason) check('completed within the time limit', false, reason);
  try { eb.close(); } catch (e) { /* already closed */ }
  console.log('bridge client (' + (transports || 'any transport') + '): ' + passed + ' passed, ' + failed + ' failed');
  process.exitCode = failed === 0 ? 0 : 1;
}

// Frames the bridge refuses come back without an address: the client hands them to onerror.
eb.onerror = (err) => bridgeErrors.push(err);

eb.onopen = () => {
  check('connected to ' + base + '/eventbus via ' + eb.sockJSConn.transport, true);

  eb.registerHandler('mastermind.events', (err, msg) => {
    if (err || msg.body.taskId !== taskId) return;
    seen.push(msg.body.event);
    if (msg.body.event === 'task:completed') {
      check('task events arrive in order', seen[0] === 'task:submitted' && seen.includes('task:started'), seen);
      check('the completed event carries the status', msg.body.data && msg.body.data.status === 'succeeded', msg.body);
      invalidTask();
    }
  });

  const task = { id: taskId, type: 'compute', payload: { function: 'primes', data: { upTo: 1000 } } };
  eb.send('mastermind.gateway.submit', task, (err, reply) => {
    check('a submitted task is answered with its status record',
      !err && reply.body.id === taskId && reply.body.type === 'compute', err || reply.body);
  });
};

function invalidTask() {
  const bad = { type: 'compute', payload: { function: 'primes', data: { upTo: -1 } } };
  eb.send('mastermind.gateway.submit', bad, (err) => {
    check('an invalid task gets a failure reply with INVALID_FIELD',
      err && err.failureCode === INVALID_FIELD && /payload\.data\.upTo/.test(err.message), err);
    offTheList();
  });
}

function offTheList() {
  eb.send('mastermind.coordinator.submit', { task: {} }, () => check('no reply from an address off the list', false));
  setTimeout(() => {
    check('an address off the whitelist is access_denied',
      bridgeErrors.some((e) => e.type === 'err' && e.body === 'access_denied'), bridgeErrors);
    finish();
  }, 1000);
}

eb.onclose = () => {
  if (!finished) finish('the bridge closed the connection');
};
