namespace Berth.Cli.Output;

/// <summary>Prints "Label: value" lines with the values aligned, for the detail views (info, job show).</summary>
internal sealed class FieldList
{
    private readonly List<(string Label, string Value)> fields = [];

    public FieldList Add(string label, string? value)
    {
        fields.Add((label, string.IsNullOrEmpty(value) ? "-" : value));
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int width = fields.Count == 0 ? 0 : fields.Max(field => field.Label.Length) + 1;
        foreach (var (label, value) in fields)
        {
            writer.WriteLine($"{(label + ":").PadRight(width)} {value}");
        }
    }
}
