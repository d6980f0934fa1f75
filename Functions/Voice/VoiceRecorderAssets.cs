namespace Baton.Functions.Voice;

/// <summary>The recorder page's script and stylesheet, served by Baton itself (the page's CSP allows only these).</summary>
static class VoiceRecorderAssets
{
    /// <summary>
    /// Records with getUserMedia + MediaRecorder (WebM/Opus where the browser has it) while Space or the button is held,
    /// shows the level (a WebAudio analyser) and the time, plays the recording back, sends it as a form with the page's
    /// anti-forgery header, then follows the request's events: steps as they arrive, the clarification dialog, and a
    /// card for the ticket or the failure. Text from the server is only ever set as text, never as HTML.
    /// </summary>
    public const string Script = """
        (function () {
          'use strict';
          function $(id) { return document.getElementById(id); }
          var token = document.querySelector('meta[name="csrf-token"]').content;
          var uploadUrl = document.querySelector('meta[name="voice-upload"]').content;
          var talk = $('talk'), timer = $('timer'), level = $('level'), meter = $('meter'), playback = $('playback');
          var send = $('send'), again = $('again'), micError = $('mic-error'), project = $('project');
          var steps = $('steps'), progress = $('progress'), result = $('result');
          var dialog = $('clarify'), questions = $('questions'), answer = $('answer'), clarifyError = $('clarify-error');
          var stream = null, analyser = null, recorder = null, chunks = [], recording = null, held = false, started = 0, ticker = null;
          var request = null, events = null, busy = false;
          var labels = {
            received: 'Received', transcribing: 'Transcribing…', transcribed: 'Heard', extracting: 'Understanding the request…',
            clarification_needed: 'A question for you', clarified: 'Answer received', creating_ticket: 'Creating the Jira ticket…',
            completed: 'Done', failed: 'Failed'
          };

          function seconds() { return ((performance.now() - started) / 1000).toFixed(1) + ' s'; }

          function microphone() {
            if (stream) return Promise.resolve(stream);
            if (!navigator.mediaDevices || !window.MediaRecorder) return Promise.reject(new Error('this browser cannot record audio'));
            return navigator.mediaDevices.getUserMedia({ audio: true }).then(function (s) {
              stream = s;
              var context = new (window.AudioContext || window.webkitAudioContext)();
              analyser = context.createAnalyser();
              analyser.fftSize = 1024;
              context.createMediaStreamSource(s).connect(analyser);
              return s;
            });
          }

          function showLevel() {
            if (!recorder || recorder.state !== 'recording') { level.style.width = '0%'; meter.setAttribute('aria-valuenow', '0'); return; }
            var samples = new Uint8Array(analyser.fftSize);
            analyser.getByteTimeDomainData(samples);
            var peak = 0;
            for (var i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] - 128));
            var percent = Math.min(100, Math.round(peak / 128 * 150));
            level.style.width = percent + '%';
            meter.setAttribute('aria-valuenow', String(percent));
            requestAnimationFrame(showLevel);
          }

          function mimeType() {
            var wanted = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus'];
            for (var i = 0; i < wanted.length; i++) if (MediaRecorder.isTypeSupported(wanted[i])) return wanted[i];
            return '';
          }

          function start() {
            if (held || busy || request) return;
            held = true;
            micError.textContent = '';
            microphone().then(function () {
              if (!held) return;
              chunks = [];
              var type = mimeType();
              recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
              recorder.ondataavailable = function (e) { if (e.data && e.data.size > 0) chunks.push(e.data); };
              recorder.onstop = stopped;
              recorder.start(250);
              started = performance.now();
              timer.textContent = '0.0 s';
              ticker = setInterval(function () { timer.textContent = seconds(); }, 100);
              talk.classList.add('on');
              talk.setAttribute('aria-pressed', 'true');
              talk.textContent = 'Recording… release to stop';
              showLevel();
            }).catch(function (e) {
              held = false;
              micError.textContent = 'The microphone is not available: ' + (e && e.message ? e.message : e) + '.';
            });
          }

          function stop() {
            if (!held) return;
            held = false;
            if (recorder && recorder.state === 'recording') {
              clearInterval(ticker);
              timer.textContent = seconds();
              recorder.stop();
            }
          }

          function stopped() {
            talk.classList.remove('on');
            talk.setAttribute('aria-pressed', 'false');
            talk.textContent = 'Hold to talk';
            recording = new Blob(chunks, { type: recorder.mimeType || 'audio/webm' });
            if (playback.src) URL.revokeObjectURL(playback.src);
            playback.src = URL.createObjectURL(recording);
            playback.hidden = false;
            send.disabled = recording.size === 0;
            again.disabled = false;
          }

          // Space belongs to whatever has the focus (a text box, another button, the player), except the talk button itself.
          function ownsSpace(target) {
            return target && target !== talk && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON'
              || target.tagName === 'AUDIO' || target.tagName === 'A');
          }
          document.addEventListener('keydown', function (e) {
            if (e.code !== 'Space' || e.repeat || ownsSpace(e.target) || dialog.open) return;
            e.preventDefault();
            start();
          });
          document.addEventListener('keyup', function (e) {
            if (e.code !== 'Space' || ownsSpace(e.target) || dialog.open) return;
            e.preventDefault();
            stop();
          });
          talk.addEventListener('pointerdown', function (e) { e.preventDefault(); start(); });
          ['pointerup', 'pointerleave', 'pointercancel'].forEach(function (name) { talk.addEventListener(name, stop); });
          talk.addEventListener('contextmenu', function (e) { e.preventDefault(); });

          again.addEventListener('click', function () {
            recording = null;
            playback.hidden = true;
            send.disabled = true;
            again.disabled = true;
            timer.textContent = '0.0 s';
          });

          function problemText(response) {
            return response.json().then(function (p) { return p.detail || p.title || ('HTTP ' + response.status); },
              function () { return 'HTTP ' + response.status; });
          }

          send.addEventListener('click', function () {
            if (!recording || busy) return;
            busy = true;
            send.disabled = true;
            again.disabled = true;
            var form = new FormData();
            form.append('file', recording, /ogg/.test(recording.type) ? 'recording.ogg' : 'recording.webm');
            if (project.value.trim()) form.append('project', project.value.trim().toUpperCase());
            fetch(uploadUrl, { method: 'POST', body: form, credentials: 'same-origin', headers: { 'RequestVerificationToken': token } })
              .then(function (response) {
                if (!response.ok) return problemText(response).then(function (text) { throw new Error(text); });
                return response.json();
              })
              .then(follow)
              .catch(function (e) {
                busy = false;
                send.disabled = false;
                again.disabled = false;
                card('failure', 'The recording was not accepted', e.message);
              });
          });

          function follow(receipt) {
            request = receipt;
            steps.textContent = '';
            result.hidden = true;
            progress.hidden = false;
            add('received', 'Uploaded; request ' + receipt.id.slice(0, 8));
            events = new EventSource(receipt.eventsUrl);
            // A network error makes the EventSource reconnect by itself (sending Last-Event-ID); a refusal closes it.
            events.onerror = function () {
              if (events.readyState === EventSource.CLOSED && busy)
                card('failure', 'Lost track of the request', 'The server stopped sending progress (signed out?). Reload the page to see where it is.');
            };
            Object.keys(labels).forEach(function (step) {
              events.addEventListener(step, function (e) { show(step, JSON.parse(e.data)); });
            });
          }

          function add(step, text) {
            var item = document.createElement('li');
            item.className = 'step ' + step;
            item.setAttribute('data-step', step);
            item.textContent = text;
            steps.appendChild(item);
            return item;
          }

          function show(step, event) {
            if (step === 'received') return;
            var text = labels[step] || step;
            if (step === 'transcribed' && event.transcript) text += ': “' + event.transcript + '”';
            if (step === 'failed' && event.reason) text += ': ' + event.reason;
            add(step, text);
            if (step === 'clarification_needed') ask(event.questions || []);
            if (step === 'clarified' && dialog.open) dialog.close();
            if (step === 'completed') { finish(); done(event); }
            if (step === 'failed') { finish(); card('failure', 'The request failed', event.reason || 'No reason was given.'); }
          }

          // The request is over: the page is ready for the next recording.
          function finish() {
            if (events) events.close();
            if (dialog.open) dialog.close();
            busy = false;
            request = null;
            again.disabled = false;
          }

          function ask(list) {
            questions.textContent = '';
            list.forEach(function (q) { var item = document.createElement('li'); item.textContent = q; questions.appendChild(item); });
            answer.value = '';
            clarifyError.textContent = '';
            dialog.showModal();
            answer.focus();
          }

          $('clarify-form').addEventListener('submit', function (e) {
            e.preventDefault();
            if (!answer.value.trim()) { clarifyError.textContent = 'Write an answer first.'; return; }
            fetch(request.clarifyUrl, {
              method: 'POST', credentials: 'same-origin',
              headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': token },
              body: JSON.stringify({ answer: answer.value.trim() })
            }).then(function (response) {
              if (!response.ok) return problemText(response).then(function (text) { throw new Error(text); });
              dialog.close();
            }).catch(function (error) { clarifyError.textContent = error.message; });
          });

          function link(url, text) {
            var a = document.createElement('a');
            if (/^https?:\/\//i.test(url)) a.href = url;
            a.textContent = text;
            return a;
          }

          function done(event) {
            var body = card('success', 'Ticket created', event.reason || '');
            if (event.ticketUrl || event.ticketKey) {
              var p = document.createElement('p');
              p.appendChild(document.createTextNode('Jira: '));
              p.appendChild(link(event.ticketUrl || '', event.ticketKey || event.ticketUrl));
              body.appendChild(p);
            }
            if (event.gitHubIssueUrl) {
              var g = document.createElement('p');
              g.appendChild(document.createTextNode('GitHub: '));
              g.appendChild(link(event.gitHubIssueUrl, event.gitHubIssueUrl.replace(/^https?:\/\/[^/]+\//, '')));
              body.appendChild(g);
            }
          }

          function card(kind, title, text) {
            result.hidden = false;
            result.className = 'card ' + kind;
            result.textContent = '';
            var h = document.createElement('h2');
            h.textContent = title;
            result.appendChild(h);
            if (text) { var p = document.createElement('p'); p.className = 'reason'; p.textContent = text; result.appendChild(p); }
            return result;
          }

          // A link to one request (voice?request=ID, as Baton's question on Discord gives it) follows that request: its
          // steps so far, and its question while it still waits for an answer.
          var linked = new URLSearchParams(location.search).get('request');
          if (linked && /^[0-9a-f]{32}$/.test(linked)) {
            busy = true;
            again.disabled = true;
            follow({ id: linked, eventsUrl: uploadUrl + '/' + linked + '/events', clarifyUrl: uploadUrl + '/' + linked + '/clarify' });
          }
        })();
        """;

    public const string Style = """
        :root { color-scheme: light dark; --line: #8884; --muted: #777; --accent: #2563eb; --bad: #b91c1c; --ok: #15803d; --rec: #dc2626; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
        header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
        header .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; color: inherit; }
        header .who { margin-left: auto; color: var(--muted); }
        main { padding: .5rem 1rem 2rem; display: grid; gap: 1rem; max-width: 44rem; margin: 0 auto; }
        section { border: 1px solid var(--line); border-radius: 10px; padding: .6rem 1rem 1rem; min-width: 0; }
        h1 { font-size: 1.3rem; margin: .6rem 0; } h2 { font-size: 1.1rem; margin: .4rem 0 .6rem; }
        label { display: block; margin: .6rem 0 .2rem; font-weight: 600; }
        input, textarea { width: 100%; font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; }
        button { font: inherit; padding: .55rem 1.1rem; border-radius: 8px; border: 1px solid var(--line); background: #8882; cursor: pointer; color: inherit; min-height: 2.75rem; }
        button:disabled { opacity: .5; cursor: default; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .talk { display: block; width: 100%; min-height: 9rem; margin: 1rem 0 .6rem; font-size: 1.3rem; font-weight: 600; border-radius: 16px;
                user-select: none; -webkit-user-select: none; touch-action: none; background: #8881; }
        .talk.on { background: var(--rec); border-color: var(--rec); color: #fff; }
        .meter { height: .8rem; border-radius: 999px; background: #8883; overflow: hidden; }
        #level { height: 100%; width: 0; background: var(--ok); transition: width 60ms linear; }
        .timer { font-variant-numeric: tabular-nums; font-size: 1.1rem; }
        audio { width: 100%; margin: .4rem 0; }
        .actions { display: flex; flex-wrap: wrap; gap: .6rem; margin-top: .6rem; }
        .actions button { flex: 1 1 9rem; }
        .muted { color: var(--muted); } .bad { color: var(--bad); }
        kbd { border: 1px solid var(--line); border-radius: 4px; padding: 0 .3rem; font: inherit; font-size: .9em; }
        #steps { padding-left: 1.3rem; margin: .2rem 0; } #steps li { margin: .35rem 0; overflow-wrap: anywhere; }
        #steps li.failed { color: var(--bad); } #steps li.completed { color: var(--ok); font-weight: 600; }
        .card.success { border-color: var(--ok); border-width: 2px; } .card.failure { border-color: var(--bad); border-width: 2px; }
        .card .reason { overflow-wrap: anywhere; }
        a { color: var(--accent); overflow-wrap: anywhere; }
        dialog { width: min(36rem, calc(100vw - 2rem)); border: 1px solid var(--line); border-radius: 12px; padding: 1rem 1.2rem; }
        dialog::backdrop { background: #0006; }
        @media (min-width: 900px) { main { max-width: 60rem; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); grid-template-rows: auto 1fr; align-items: start; }
          #recorder { grid-row: span 2; } }
        """;
}
