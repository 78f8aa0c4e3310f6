/**
 * The notification sound: two short sine tones made with the Web Audio API, so there is no file to
 * download. Browsers let a page make sound only after the user interacted with it; `prepareChime`
 * is called from the click that turns the sound on.
 */

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  return context;
}

/** From a click: creates (or wakes) the audio context while the browser allows it. */
export function prepareChime(): void {
  void audio()?.resume();
}

export function playChime(): void {
  const output = audio();
  if (!output) return;
  const now = output.currentTime;
  const gain = output.createGain();
  gain.connect(output.destination);
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.18, now + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.4);
  // A rising fifth: noticeable, not alarming.
  for (const [frequencyHz, delayS] of [
    [880, 0],
    [1320, 0.1],
  ] as const) {
    const tone = output.createOscillator();
    tone.type = 'sine';
    tone.frequency.value = frequencyHz;
    tone.connect(gain);
    tone.start(now + delayS);
    tone.stop(now + 0.42);
  }
}
