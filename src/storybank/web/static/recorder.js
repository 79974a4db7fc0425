// The spoken-answer recorder (templates/_recorder.html). Microphone → Web Audio (an AudioWorklet,
// or a ScriptProcessor where worklets are missing) → 16 kHz mono 16-bit PCM made in the page →
// about one second at a time to /api/speech/sessions/{id}/chunks while the answer is spoken, so
// the server transcribes as it goes. On Stop the server closes the transcript and answers with
// the report. The recorder then fires a cancelable `storybank:spoken-answer` event (detail:
// {report, readyMs}); when nobody cancels it, the page moves to the report.
(function () {
  "use strict";
  if (window.StorybankRecorder) return; // the partial was included twice

  const TARGET_RATE = 16000;
  const CHUNK_SAMPLES = TARGET_RATE; // one second per request
  const STOP_MARGIN_S = 0.5; // stop just before the server's length limit
  const FLUSH_WAIT_MS = 500;
  const WORKLET_URL = (document.currentScript && document.currentScript.src || "/static/recorder.js")
    .replace(/recorder\.js/, "recorder-worklet.js");

  function clock(seconds) {
    const whole = Math.floor(seconds);
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  // 16-bit little-endian PCM bytes of samples in [-1, 1].
  function pcmBytes(samples) {
    const view = new DataView(new ArrayBuffer(samples.length * 2));
    for (let i = 0; i < samples.length; i++) {
      const s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(i * 2, s < 0 ? s * 32768 : s * 32767, true);
    }
    return view.buffer;
  }

  // Streaming rate conversion to 16 kHz. A windowed-sinc low-pass filter (cut-off at 45 % of the
  // lower rate, so nothing above the new Nyquist frequency folds back into speech) is evaluated
  // at the two input samples around each output instant, and the output interpolates them.
  class Downsampler {
    constructor(inputRate, outputRate = TARGET_RATE) {
      this.step = inputRate / outputRate;
      this.half = this.step > 1 ? Math.ceil(8 * this.step) : 0;
      this.taps = Downsampler.lowPass(this.half, (0.45 * Math.min(inputRate, outputRate)) / inputRate);
      this.buffer = new Float32Array(0);
      this.bufferStart = 0; // absolute input index of buffer[0]
      this.position = 0; // absolute input position of the next output sample
    }

    static lowPass(half, cutoff) {
      const taps = new Float32Array(2 * half + 1);
      let sum = 0;
      for (let k = -half; k <= half; k++) {
        const sinc = k === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
        const blackman = 0.42 + 0.5 * Math.cos((Math.PI * k) / (half + 1)) + 0.08 * Math.cos((2 * Math.PI * k) / (half + 1));
        taps[k + half] = sinc * blackman;
        sum += taps[k + half];
      }
      for (let i = 0; i < taps.length; i++) taps[i] /= sum;
      return taps;
    }

    filtered(index) {
      const { taps, half, buffer } = this;
      const offset = index - this.bufferStart;
      let total = 0;
      for (let k = -half; k <= half; k++) {
        const j = offset + k;
        if (j >= 0 && j < buffer.length) total += taps[k + half] * buffer[j];
      }
      return total;
    }

    // Convert the next input block; `last` flushes what the filter holds back. Float32Array out.
    push(samples, last = false) {
      const joined = new Float32Array(this.buffer.length + samples.length);
      joined.set(this.buffer);
      joined.set(samples, this.buffer.length);
      this.buffer = joined;
      const end = this.bufferStart + joined.length;
      const out = [];
      for (;;) {
        const before = Math.floor(this.position);
        if (last ? before >= end : before + 1 + this.half >= end) break;
        const fraction = this.position - before;
        const a = this.filtered(before);
        out.push(fraction > 0 ? a + (this.filtered(before + 1) - a) * fraction : a);
        this.position += this.step;
      }
      const keepFrom = Math.max(this.bufferStart, Math.floor(this.position) - this.half);
      this.buffer = this.buffer.slice(keepFrom - this.bufferStart);
      this.bufferStart = keepFrom;
      return Float32Array.from(out);
    }
  }

  function microphoneMessage(error) {
    const name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "Microphone access was refused. Allow it for this site in the browser's settings, or upload a recording instead.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") {
      return "No microphone was found. Connect one, or upload a recording instead.";
    }
    if (name === "NotReadableError") return "The microphone is in use by another application; close it and try again.";
    return "The microphone could not be opened (" + (error && error.message || "unknown error") + ").";
  }

  class Recorder {
    constructor(root) {
      this.root = root;
      this.csrf = root.dataset.csrf || "";
      this.maxSeconds = Number(root.dataset.maxSeconds) || 600;
      this.profile = root.dataset.profile || null;
      this.drill = root.dataset.drill || null;
      this.step = root.dataset.step === "probe" ? "probe" : "answer";
      this.startButton = root.querySelector('[data-action="start"]');
      this.stopButton = root.querySelector('[data-action="stop"]');
      this.cancelButton = root.querySelector('[data-action="cancel"]');
      this.keepBox = root.querySelector("[data-keep-audio]");
      this.levelBar = root.querySelector("[data-level]");
      this.elapsed = root.querySelector("[data-elapsed]");
      this.status = root.querySelector("[data-status]");
      this.state = "idle";
      this.startButton.addEventListener("click", () => this.start());
      this.stopButton.addEventListener("click", () => this.stop("button"));
      this.cancelButton.addEventListener("click", () => this.cancel());
      window.addEventListener("pagehide", () => this.abandon());
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        this.startButton.disabled = true;
        this.say(window.isSecureContext
          ? "This browser cannot record audio here; upload a recording instead."
          : "Recording needs a secure page: open storybank at http://127.0.0.1 or http://localhost, or upload a recording instead.", "error");
      }
    }

    say(message, tone) {
      this.status.textContent = message;
      this.status.classList.toggle("recorder__status--error", tone === "error");
      this.status.classList.toggle("recorder__status--ready", tone === "ready");
    }

    setState(state) {
      this.state = state;
      this.root.dataset.state = state;
      this.root.classList.toggle("recorder--recording", state === "recording");
      this.startButton.disabled = state !== "idle";
      this.stopButton.disabled = state !== "recording";
      this.cancelButton.hidden = !(state === "starting" || state === "recording");
      if (this.keepBox) this.keepBox.disabled = state !== "idle";
    }

    async api(method, url, body, contentType) {
      const headers = { "X-CSRF-Token": this.csrf, Accept: "application/json" };
      if (contentType) headers["Content-Type"] = contentType;
      const response = await fetch(url, { method, headers, body, credentials: "same-origin" });
      const data = response.status === 204 ? null : await response.json().catch(() => null);
      if (!response.ok) {
        const error = new Error((data && data.detail) || "the server answered " + response.status);
        error.status = response.status;
        throw error;
      }
      return data;
    }

    async start() {
      if (this.state !== "idle") return;
      this.setState("starting");
      this.say("Asking for the microphone…");
      Object.assign(this, { info: null, failure: null, seq: 0, pending: [], pendingLength: 0, captured: 0, level: 0, flushed: false });
      const body = JSON.stringify({ profile: this.profile, keep_audio: Boolean(this.keepBox && this.keepBox.checked) });
      this.session = this.api("POST", "/api/speech/sessions", body, "application/json");
      this.session.then((info) => { this.info = info; }, () => {});
      this.queue = this.session.then(() => undefined);
      try {
        this.stream = await navigator.mediaDevices.getUserMedia({
          audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
        });
      } catch (error) {
        this.abort(new Error(microphoneMessage(error)));
        return;
      }
      try {
        await this.openAudio();
      } catch (error) {
        this.abort(new Error("The browser could not start recording (" + error.message + "); upload a recording instead."));
        return;
      }
      if (this.failure) return;
      this.setState("recording");
      this.say("Recording. Answer out loud, then press Stop.");
      this.draw();
      try {
        const info = await this.session;
        this.maxSeconds = Math.min(this.maxSeconds, info.max_seconds || this.maxSeconds);
      } catch (error) {
        this.abort(error);
      }
    }

    async openAudio() {
      const Context = window.AudioContext || window.webkitAudioContext;
      this.context = new Context();
      if (this.context.state === "suspended") await this.context.resume();
      this.downsampler = new Downsampler(this.context.sampleRate);
      this.source = this.context.createMediaStreamSource(this.stream);
      this.sink = this.context.createGain();
      this.sink.gain.value = 0; // capture only: nothing is played back
      this.sink.connect(this.context.destination);
      this.node = null;
      if (this.context.audioWorklet && window.AudioWorkletNode) {
        try {
          await this.context.audioWorklet.addModule(WORKLET_URL);
          this.node = new AudioWorkletNode(this.context, "storybank-pcm-capture", {
            numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: "explicit",
          });
          this.node.port.onmessage = (event) => this.onSamples(event.data.samples, event.data.flushed);
        } catch (error) {
          this.node = null;
        }
      }
      if (!this.node) {
        this.node = this.context.createScriptProcessor(4096, 1, 1);
        this.node.onaudioprocess = (event) => this.onSamples(new Float32Array(event.inputBuffer.getChannelData(0)), false);
      }
      this.source.connect(this.node);
      this.node.connect(this.sink);
    }

    onSamples(samples, flushed) {
      if (this.flushed || !this.downsampler || this.failure) return;
      if (samples.length) {
        this.captured += samples.length / this.context.sampleRate;
        let energy = 0;
        for (let i = 0; i < samples.length; i++) energy += samples[i] * samples[i];
        const decibels = 10 * Math.log10(energy / samples.length + 1e-10);
        this.level = Math.max(Math.min(1, Math.max(0, (decibels + 60) / 60)), this.level * 0.85);
      }
      this.collect(this.downsampler.push(samples, flushed), flushed);
      if (flushed) {
        this.flushed = true;
        if (this.flushDone) this.flushDone();
      } else if (this.state === "recording" && this.captured >= this.maxSeconds - STOP_MARGIN_S) {
        this.stop("limit");
      }
    }

    collect(samples, last) {
      if (samples.length) {
        this.pending.push(samples);
        this.pendingLength += samples.length;
      }
      while (this.pendingLength >= CHUNK_SAMPLES || (last && this.pendingLength > 0)) {
        const size = Math.min(CHUNK_SAMPLES, this.pendingLength);
        const chunk = new Float32Array(size);
        let filled = 0;
        while (filled < size) {
          const head = this.pending[0];
          const take = Math.min(head.length, size - filled);
          chunk.set(head.subarray(0, take), filled);
          filled += take;
          if (take === head.length) this.pending.shift();
          else this.pending[0] = head.subarray(take);
        }
        this.pendingLength -= size;
        this.send(chunk);
      }
    }

    send(samples) {
      const seq = this.seq++;
      const bytes = pcmBytes(samples);
      this.queue = this.queue
        .then(() => this.failure ? undefined : this.api("POST", this.info.chunk_url + "?seq=" + seq, bytes, "application/octet-stream"))
        .catch((error) => this.abort(error));
    }

    draw() {
      if (this.state !== "recording" && this.state !== "starting") return;
      this.elapsed.textContent = clock(this.captured || 0);
      this.levelBar.style.transform = "scaleX(" + (this.level || 0).toFixed(3) + ")";
      this.level = (this.level || 0) * 0.92;
      this.frame = window.requestAnimationFrame(() => this.draw());
    }

    drain() {
      return new Promise((resolve) => {
        this.flushDone = resolve;
        if (this.node && this.node.port) this.node.port.postMessage("flush");
        else this.onSamples(new Float32Array(0), true);
        window.setTimeout(() => { if (!this.flushed) this.onSamples(new Float32Array(0), true); resolve(); }, FLUSH_WAIT_MS);
      });
    }

    closeAudio() {
      if (this.frame) window.cancelAnimationFrame(this.frame);
      if (this.levelBar) this.levelBar.style.transform = "scaleX(0)";
      try {
        if (this.source) this.source.disconnect();
        if (this.node) this.node.disconnect();
      } catch (error) { /* already disconnected */ }
      if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
      if (this.context && this.context.state !== "closed") this.context.close().catch(() => {});
      this.source = this.node = this.stream = this.context = null;
    }

    async stop(reason) {
      if (this.state !== "recording") return;
      this.setState("stopping");
      const stoppedAt = performance.now();
      this.say(reason === "limit" ? "That is the longest recording allowed. Finishing the transcript…" : "Finishing the transcript…");
      await this.drain();
      this.closeAudio();
      let report;
      try {
        await this.queue;
        if (this.failure) return;
        const info = await this.session;
        report = await this.api("POST", info.finish_url, "{}", "application/json");
      } catch (error) {
        this.abort(error);
        return;
      }
      const readyMs = Math.round(performance.now() - stoppedAt);
      this.root.dataset.readyMs = String(readyMs);
      this.info = null;
      this.setState("idle");
      this.say("Report ready " + (readyMs / 1000).toFixed(1) + " s after you stopped.", "ready");
      const event = new CustomEvent("storybank:spoken-answer", { bubbles: true, cancelable: true, detail: { report, readyMs } });
      if (!this.root.dispatchEvent(event)) return;
      if (this.drill) this.answerDrill(report);
      else if (report.report_url) window.location.assign(report.report_url);
    }

    // Submit the transcript as the drill's answer or probe reply (timed by the recording), then show the drill.
    async answerDrill(report) {
      const drillUrl = "/practice/drills/" + encodeURIComponent(this.drill);
      this.say(this.step === "probe" ? "Analysing your reply…" : "Analysing your answer…");
      try {
        await this.api("POST", "/api/speech/reports/" + encodeURIComponent(report.id) + "/drills/" + encodeURIComponent(this.drill) + "/" + this.step, "{}", "application/json");
      } catch (error) {
        this.say(error.message + " (the recording's report stays at " + report.report_url + ")", "error");
        return;
      }
      window.location.assign(drillUrl);
    }

    discardSession(keepalive) {
      const session = this.session;
      this.session = null;
      if (!session) return;
      session.then((info) => fetch(info.chunk_url.replace(/\/chunks$/, ""), {
        method: "DELETE", headers: { "X-CSRF-Token": this.csrf }, credentials: "same-origin", keepalive: Boolean(keepalive),
      })).catch(() => {});
    }

    abort(error) {
      if (this.failure) return;
      this.failure = error;
      this.closeAudio();
      this.discardSession();
      this.setState("idle");
      this.say(error.message || String(error), "error");
    }

    cancel() {
      if (this.state !== "recording" && this.state !== "starting") return;
      this.abort(new Error("Recording discarded; nothing was kept."));
      this.say("Recording discarded; nothing was kept.");
    }

    abandon() {
      if (this.state === "recording" || this.state === "starting" || this.state === "stopping") {
        this.failure = new Error("page closed");
        this.closeAudio();
        this.discardSession(true);
      }
    }
  }

  window.StorybankRecorder = { Downsampler, Recorder, pcmBytes };
  document.querySelectorAll("[data-recorder]").forEach((root) => { root.recorder = new Recorder(root); });
})();
