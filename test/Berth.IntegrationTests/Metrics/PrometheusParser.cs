using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.IntegrationTests.Metrics;

/// <summary>A strict reader of the Prometheus text format 0.0.4: fails on any line that is not HELP, TYPE or a sample of a declared family.</summary>
internal static partial class PrometheusParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        var help = new HashSet<string>(StringComparer.Ordinal);
        var types = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (HelpLine().Match(line) is { Success: true } h)
            {
                Assert.True(help.Add(h.Groups[1].Value), $"second HELP for {h.Groups[1].Value}");
                continue;
            }

            if (TypeLine().Match(line) is { Success: true } t)
            {
                Assert.True(types.Add(t.Groups[1].Value), $"second TYPE for {t.Groups[1].Value}");
                continue;
            }

            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a valid line: '{line}'");
            var name = m.Groups[1].Value;
            Assert.True(help.Contains(name) && types.Contains(name), $"{name} has a sample before its HELP and TYPE");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match l in LabelPair().Matches(m.Groups[2].Value))
            {
                labels.Add(l.Groups[1].Value, l.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
            }

            var key = name + "{" + string.Join(",", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)) + "}";
            Assert.True(series.Add(key), $"duplicate series {key}");
            var value = m.Groups[3].Value switch
            {
                "NaN" => double.NaN,
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(name, labels, value));
        }

        return samples;
    }

    public static double? Value(IEnumerable<Sample> samples, string name, string container, params (string Key, string Value)[] more) =>
        samples.Where(s => s.Name == name && s.Labels.GetValueOrDefault("container") == container && more.All(p => s.Labels.GetValueOrDefault(p.Key) == p.Value))
            .Select(s => (double?)s.Value).SingleOrDefault();

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*"",?)*\})? (NaN|[+-]Inf|-?[0-9.]+(?:[eE][+-]?[0-9]+)?)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
