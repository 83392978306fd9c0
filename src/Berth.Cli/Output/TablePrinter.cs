using System.Text;

namespace Berth.Cli.Output;

/// <summary>Prints rows as left-aligned columns under an upper-case header, two spaces apart.</summary>
internal sealed class TablePrinter
{
    private const string ColumnGap = "  ";

    private readonly string[] headers;
    private readonly List<string[]> rows = [];

    public TablePrinter(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Length == 0)
        {
            throw new ArgumentException("a table needs at least one column", nameof(headers));
        }

        this.headers = headers;
    }

    public void AddRow(params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row needs {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        rows.Add(Array.ConvertAll(cells, Clean));
    }

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var widths = new int[headers.Length];
        foreach (var row in rows.Prepend(headers))
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var line = new StringBuilder();
        foreach (var row in rows.Prepend(headers))
        {
            line.Clear();
            for (int i = 0; i < row.Length; i++)
            {
                line.Append(row[i]);
                if (i < row.Length - 1)
                {
                    line.Append(' ', widths[i] - row[i].Length).Append(ColumnGap);
                }
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }

    // A line break or tab inside a cell would break the columns.
    private static string Clean(string? cell) =>
        string.IsNullOrEmpty(cell) ? "" : string.Create(cell.Length, cell, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
}
