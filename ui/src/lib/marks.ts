// An underline in an editor: a range in 1-based lines and character columns.
export interface Mark {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  severity: "error" | "warning" | "info";
  message: string;
  source: string;
}
