// The long tasks of a Chromium performance trace (the page's main thread), each with what ran in it: which
// script was evaluated, which function a task called, which event was dispatched, style, layout, paint.

/** The trace categories that name a main-thread task's parts. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'blink.user_timing',
  'loading',
];

const fileOf = (url) => (url ? url.slice(url.lastIndexOf('/') + 1).split('?')[0] || url : 'inline script');

/** A part of a task in words; parts with the same words are added up. */
function describe(event) {
  const data = event.args?.data ?? event.args?.beginData ?? {};
  switch (event.name) {
    case 'EvaluateScript':
      return `evaluate ${fileOf(data.url)}`;
    case 'v8.compile':
    case 'v8.compileModule':
      return `compile ${fileOf(data.url ?? event.args?.fileName)}`;
    case 'FunctionCall':
      return `call ${data.functionName || '(anonymous)'} in ${fileOf(data.url)}`;
    case 'EventDispatch':
      return `event ${data.type}`;
    case 'ParseHTML':
      return 'parse HTML';
    case 'UpdateLayoutTree':
    case 'RecalculateStyles':
      return 'style';
    case 'Layout':
      return 'layout';
    case 'PrePaint':
    case 'Paint':
    case 'Layerize':
    case 'Commit':
      return 'paint';
    case 'MajorGC':
    case 'MinorGC':
      return 'garbage collection';
    default:
      return event.name;
  }
}

/** The events of one thread as complete events (begin/end pairs joined), by start time. */
function completeEvents(events) {
  const stack = [];
  const complete = [];
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    if (event.ph === 'X' && event.dur !== undefined) complete.push(event);
    else if (event.ph === 'B') stack.push(event);
    else if (event.ph === 'E') {
      const begin = stack.pop();
      if (begin) complete.push({ ...begin, ph: 'X', dur: event.ts - begin.ts });
    }
  }
  return complete.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
}

/**
 * The main-thread tasks longer than `minMs`, from the page's first navigation on: start (ms after it), length, and
 * the largest parts (direct children of the task, added up by what they are).
 */
export function longTasks(trace, minMs = 50) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const mainThreads = events
    .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`);
  const byThread = new Map(mainThreads.map((key) => [key, []]));
  for (const event of events) byThread.get(`${event.pid}:${event.tid}`)?.push(event);
  // The page's renderer is the one that worked most (a spare renderer may be in the trace too).
  const busiest = [...byThread.values()]
    .map(completeEvents)
    .map((list) => ({
      list,
      busy: list.filter((e) => e.name === 'RunTask').reduce((sum, e) => sum + e.dur, 0),
    }))
    .sort((a, b) => b.busy - a.busy)[0];
  if (!busiest) return [];
  const thread = busiest.list;
  const navigation = events.find((e) => e.name === 'navigationStart')?.ts ?? thread[0]?.ts ?? 0;
  return thread
    .filter((task) => task.name === 'RunTask' && task.dur > minMs * 1000 && task.ts >= navigation)
    .map((task) => {
      const end = task.ts + task.dur;
      const parts = new Map();
      let coveredUntil = task.ts;
      for (const event of thread) {
        if (event.ts < coveredUntil || event === task || event.name === 'RunTask') continue;
        if (event.ts >= end) break;
        coveredUntil = event.ts + event.dur;
        const what = describe(event);
        parts.set(what, (parts.get(what) ?? 0) + event.dur);
      }
      return {
        startMs: Math.round((task.ts - navigation) / 1000),
        durationMs: Math.round(task.dur / 1000),
        parts: [...parts]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([what, us]) => ({ what, ms: Math.round(us / 1000) })),
      };
    });
}
