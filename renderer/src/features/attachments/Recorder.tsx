// Records audio in the page (MediaRecorder) and streams it to main chunk by chunk, strictly in order, so the
// renderer never holds the whole recording; stop waits for the last chunk, then main seals it as an attachment.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../../shared/errors';
import type { AttachmentView } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../components/ErrorMessage';
import { call } from '../../lib/archive-client';
import { clock, toBase64 } from './format';

type Props = { ownerKind: AttachmentView['ownerKind']; ownerId: string; onRecorded: (a: AttachmentView) => void };

/** Why the microphone could not be used, as a catalog key (the browser's own message is English only). */
type MicProblem = 'denied' | 'noDevice' | 'unsupported' | 'failed';

/** At most this many bytes per recording.chunk call (the contract allows 1 MiB of audio per call). */
const maxChunkBytes = 512 * 1024;
const timesliceMs = 1000;

type Live = {
  recordingId: string;
  recorder: MediaRecorder;
  stream: MediaStream;
  /** Every chunk is sent after the one before it: main refuses a chunk out of order. */
  queue: Promise<void>;
  nextSeq: number;
  failed: ErrorInfo | null;
};

function micProblemOf(e: unknown): MicProblem {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'noDevice';
  return 'failed';
}

export function Recorder({ ownerKind, ownerId, onRecorded }: Props) {
  const { t } = useTranslation();
  const live = useRef<Live | null>(null);
  const [state, setState] = useState<'idle' | 'starting' | 'recording' | 'stopping'>('idle');
  const [startedAt, setStartedAt] = useState(0);
  const [now, setNow] = useState(0);
  const [problem, setProblem] = useState<MicProblem | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    if (state !== 'recording') return;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [state]);

  // Leaving the screen mid-recording releases the microphone and drops the unfinished recording.
  useEffect(
    () => () => {
      const l = live.current;
      if (!l) return;
      live.current = null;
      l.recorder.ondataavailable = null;
      l.recorder.onstop = null;
      if (l.recorder.state !== 'inactive') l.recorder.stop();
      for (const track of l.stream.getTracks()) track.stop();
      void call('recording.cancel', { recordingId: l.recordingId });
    },
    [],
  );

  const enqueue = (l: Live, blob: Blob) => {
    l.queue = l.queue.then(async () => {
      if (l.failed) return;
      const bytes = new Uint8Array(await blob.arrayBuffer());
      for (let offset = 0; offset < bytes.length; offset += maxChunkBytes) {
        const r = await call('recording.chunk', { recordingId: l.recordingId, seq: l.nextSeq, data: toBase64(bytes.subarray(offset, offset + maxChunkBytes)) });
        if (!r.ok) {
          // Main refused a chunk: stop capturing now; onstop then drops the recording and says why.
          l.failed = r.error;
          if (l.recorder.state !== 'inactive') l.recorder.stop();
          return;
        }
        l.nextSeq += 1;
      }
    });
  };

  const release = (l: Live) => {
    for (const track of l.stream.getTracks()) track.stop();
    if (live.current === l) live.current = null;
  };

  const start = async () => {
    setProblem(null);
    setError(null);
    setNotice('');
    // Outside a secure context the browser has no mediaDevices at all, whatever the DOM types say.
    if (!('mediaDevices' in navigator) || typeof MediaRecorder === 'undefined') {
      setProblem('unsupported');
      return;
    }
    setState('starting');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      setProblem(micProblemOf(e));
      setState('idle');
      return;
    }
    let recorder: MediaRecorder;
    try {
      recorder = MediaRecorder.isTypeSupported('audio/webm') ? new MediaRecorder(stream, { mimeType: 'audio/webm' }) : new MediaRecorder(stream);
    } catch {
      for (const track of stream.getTracks()) track.stop();
      setProblem('failed');
      setState('idle');
      return;
    }
    const device = stream.getAudioTracks()[0]?.label || null;
    const r = await call('recording.start', { ownerKind, ownerId, mimeType: (recorder.mimeType || 'audio/webm').slice(0, 100), device: device?.slice(0, 200) ?? null });
    if (!r.ok) {
      for (const track of stream.getTracks()) track.stop();
      setError(r.error);
      setState('idle');
      return;
    }
    const l: Live = { recordingId: r.value.recordingId, recorder, stream, queue: Promise.resolve(), nextSeq: 0, failed: null };
    live.current = l;
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) enqueue(l, e.data);
    };
    recorder.onstop = () => void finish(l);
    recorder.start(timesliceMs);
    setStartedAt(Date.now());
    setNow(Date.now());
    setState('recording');
  };

  /** After the recorder's last dataavailable: wait for every chunk to reach main, then seal (or drop on failure). */
  const finish = async (l: Live) => {
    release(l);
    await l.queue;
    if (l.failed) {
      await call('recording.cancel', { recordingId: l.recordingId });
      setError(l.failed);
      setState('idle');
      return;
    }
    const r = await call('recording.finish', { recordingId: l.recordingId });
    setState('idle');
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setNotice(t('attachments.recorder.saved'));
    onRecorded(r.value);
  };

  const stop = () => {
    const l = live.current;
    if (!l || l.recorder.state === 'inactive') return;
    setState('stopping');
    l.recorder.stop();
  };

  const cancel = async () => {
    const l = live.current;
    if (!l) return;
    l.recorder.ondataavailable = null;
    l.recorder.onstop = null;
    if (l.recorder.state !== 'inactive') l.recorder.stop();
    release(l);
    await l.queue;
    await call('recording.cancel', { recordingId: l.recordingId });
    setState('idle');
    setNotice(t('attachments.recorder.cancelled'));
  };

  return (
    <div className="recorder">
      {state === 'idle' || state === 'starting' ? (
        <button type="button" className="secondary" disabled={state === 'starting'} onClick={() => void start()}>
          {t('attachments.recorder.record')}
        </button>
      ) : (
        <>
          <p className="recording-live">
            <span className="recording-dot" aria-hidden="true" />
            {state === 'stopping' ? t('attachments.recorder.saving') : t('attachments.recorder.recording')}{' '}
            <time aria-label={t('attachments.recorder.elapsed')}>{clock(now - startedAt)}</time>
          </p>
          <button type="button" disabled={state === 'stopping'} onClick={stop}>
            {t('attachments.recorder.stop')}
          </button>
          <button type="button" className="secondary" disabled={state === 'stopping'} onClick={() => void cancel()}>
            {t('attachments.recorder.cancel')}
          </button>
        </>
      )}
      {problem ? (
        <p className="error" role="alert">
          {t(`attachments.recorder.problem.${problem}`)}
        </p>
      ) : null}
      <ErrorMessage error={error} />
      <p className="notice-line" role="status">
        {notice}
      </p>
    </div>
  );
}
