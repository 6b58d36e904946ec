import { CANCEL_CHANNEL, TASKS_CHANNEL } from './channel.js';
import type { ChannelListener } from './channel-listener.js';

/** Function properties, not methods: subscribeToTaskHints calls them detached from this object. */
export interface TaskHintHandlers {
  /**
   * Tasks were added, the earliest due at `dueAt` (this host's clock; the payload is relative,
   * "due in N ms"). Also called with now after every (re)connect, since hints sent while
   * disconnected were lost.
   */
  tasksAnnounced: (dueAt: number) => void;
  /**
   * A force cancel named this task. Notices missed while disconnected are not replayed: the
   * heartbeat, which no longer finds the task running, catches those.
   */
  taskCancelled?: (taskId: string) => void;
}

/** Subscribes a claim loop to the hints it wakes up for; returns the unsubscribe function. */
export function subscribeToTaskHints(listener: ChannelListener, handlers: TaskHintHandlers): () => void {
  const unsubscribes = [
    listener.subscribe(TASKS_CHANNEL, {
      notified(payload) {
        const dueInMs = Number(payload);
        handlers.tasksAnnounced(Date.now() + (Number.isFinite(dueInMs) && dueInMs > 0 ? dueInMs : 0));
      },
      listening: () => handlers.tasksAnnounced(Date.now()),
    }),
  ];
  const { taskCancelled } = handlers;
  if (taskCancelled) {
    unsubscribes.push(listener.subscribe(CANCEL_CHANNEL, { notified: (taskId) => taskId && taskCancelled(taskId) }));
  }
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
