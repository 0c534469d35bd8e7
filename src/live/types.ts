/** A machine's statechart as the live view draws it (written by `npm run charts` into `charts.generated.ts`). */
export interface LiveChart {
  /** The machine's id (`voicemail`): a call's actor is drawn with the chart of its machine's id. */
  readonly id: string;
  /** The machine's SVG as in `docs/charts/<id>.svg`, without its XML prolog and comments (inline in a page). */
  readonly svg: string;
  /**
   * For every state, by its path of keys joined with `.` (`recording.capturing`; `''` for the machine itself), the
   * `<title>`s of the SVG groups that draw it: a node, a `cluster_...` for a state with children, or several nodes
   * (`done__1`, `done__2`) for a final state the chart draws once beside each state that leads to it.
   */
  readonly states: Readonly<Record<string, readonly string[]>>;
}
