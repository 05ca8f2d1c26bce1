// SheenApps console: follows a build's events over Server-Sent Events (same origin, session
// cookie), updating the stage list and the log; reloads once a running build ends so the page
// shows its outcome and preview. An ended build's log is replayed the same way. Everything
// else in the console is plain HTML forms.
/* global document, window, EventSource, CSS */
'use strict';

(function () {
  const build = document.getElementById('build');
  if (!build) return;
  const live = build.dataset.terminal !== 'true';
  const stages = document.getElementById('stages');
  const log = document.getElementById('log');
  const status = document.getElementById('build-status');
  const STAGE_STATUS = {
    'stage.started': 'running',
    'stage.finished': 'succeeded',
    'stage.failure': 'failed',
  };

  function setStage(name, value) {
    const item = stages && stages.querySelector('[data-stage="' + CSS.escape(name) + '"]');
    if (!item) return;
    const label = item.querySelector('.stage-status');
    if (label) {
      label.textContent = value;
      label.className = 'stage-status status-' + value;
    }
  }

  function append(event) {
    if (!log) return;
    const item = document.createElement('li');
    item.className = 'level-' + event.level;
    item.textContent = (event.stage ? '[' + event.stage + '] ' : '') + event.message;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  const source = new EventSource(build.dataset.eventsUrl);
  source.onmessage = function (message) {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    append(event);
    if (live && event.stage && STAGE_STATUS[event.type])
      setStage(event.stage, STAGE_STATUS[event.type]);
    if (live && status && event.type === 'build.started') status.textContent = 'running';
    if (event.type === 'build.finished') {
      source.close();
      if (!live) return;
      if (status) status.textContent = 'finishing…';
      window.setTimeout(function () {
        window.location.reload();
      }, 300);
    }
  };
})();
