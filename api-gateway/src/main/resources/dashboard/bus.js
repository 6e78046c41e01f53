// A small client of the Vert.x SockJS event-bus bridge protocol (register, ping, rec, err frames),
// over window.SockJS from the sockjs-client WebJar. The token, when there is one, is the bridge's
// ?access_token= (a browser cannot set headers on a WebSocket).
const PING_MS = 5000;
const RETRY_MS = 2000;

export class EventBus {
  /** @param onEvent called with each message body; @param onState with 'on' | 'off' | 'error' and a text */
  constructor(address, onEvent, onState) {
    this.address = address;
    this.onEvent = onEvent;
    this.onState = onState;
    this.socket = null;
    this.closed = false;
  }

  connect(token) {
    this.closed = false;
    const url = '/eventbus' + (token ? `?access_token=${encodeURIComponent(token)}` : '');
    const socket = new window.SockJS(url, null, { transports: ['websocket', 'xhr-streaming', 'xhr-polling'] });
    this.socket = socket;
    let ping = null;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'register', address: this.address, headers: {} }));
      ping = setInterval(() => socket.send(JSON.stringify({ type: 'ping' })), PING_MS);
      this.onState('on', 'events: live');
    };
    socket.onmessage = (e) => {
      const frame = JSON.parse(e.data);
      if (frame.type === 'rec' && frame.address === this.address) {
        this.onEvent(frame.body);
      } else if (frame.type === 'err') {
        this.onState('error', `events: ${frame.body || frame.message || 'refused'}`);
      }
    };
    socket.onclose = () => {
      clearInterval(ping);
      if (this.socket !== socket) return;
      this.onState('off', 'events: disconnected');
      if (!this.closed) setTimeout(() => this.socket === socket && this.connect(token), RETRY_MS);
    };
  }

  close() {
    this.closed = true;
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close();
  }
}
