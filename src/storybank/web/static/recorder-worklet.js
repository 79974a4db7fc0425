// Audio-thread side of the recorder: hands the microphone's samples (first channel, at the
// context's own rate) to the page in blocks of about 40 ms; recorder.js downsamples them.
class PcmCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(2048);
    this.filled = 0;
    this.port.onmessage = (event) => {
      if (event.data === "flush") this.flush();
    };
  }

  flush() {
    const samples = this.block.slice(0, this.filled);
    this.filled = 0;
    this.port.postMessage({ samples, flushed: true }, [samples.buffer]);
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      let offset = 0;
      while (offset < channel.length) {
        const count = Math.min(channel.length - offset, this.block.length - this.filled);
        this.block.set(channel.subarray(offset, offset + count), this.filled);
        this.filled += count;
        offset += count;
        if (this.filled === this.block.length) {
          const samples = this.block;
          this.block = new Float32Array(2048);
          this.filled = 0;
          this.port.postMessage({ samples, flushed: false }, [samples.buffer]);
        }
      }
    }
    return true;
  }
}

registerProcessor("storybank-pcm-capture", PcmCapture);
