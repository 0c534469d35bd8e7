/** A machine's statechart as the live view draws it (written by `npm run charts` into `charts.generated.ts`). */
export interface LiveChart {
  /** The machine's id (`voicemail`): a call's actor is drawn with the chart of its machine's id. */
  readonly id: string;
  /** The machine's SVG as in `docs/charts/<id>.svg`, without its XML prolog and comments (inline in a page). */
  readonly svg: string;
  /**
   * For every state, by its path of keys joined with `.` (`recording.capturing`; `''` for the machine itself), the
   * `<title>` of the SVG group that draws it (a node, or a `cluster_...` for a state with children).
   */
  readonly states: Readonly<Record<string, string>>;
}
