namespace Berth.Daemon.Metrics;

/// <summary>
/// The history of one container (or the host) as two rings of floats with implicit times: one point per sampling
/// interval for 48 hours' worth of slots, and hourly means for 90 days. A slot no sample reached holds NaN.
/// </summary>
public sealed class SeriesHistory
{
    public const int PointSlots = 2880;
    public const int HourSlots = 2160;

    /// <summary>CPU cores, memory bytes, rx and tx bytes per second.</summary>
    public const int PointFields = 4;

    /// <summary>The point fields, then disk bytes.</summary>
    public const int HourFields = 5;

    private readonly float[] _points = Filled(PointSlots * PointFields);
    private readonly float[] _hours = Filled(HourSlots * HourFields);
    private long _lastPoint = -1;
    private long _lastHour = -1;
    private int _hourSamples;

    /// <summary>Bytes one series holds, for the memory bound.</summary>
    public const long Bytes = (PointSlots * PointFields + HourSlots * HourFields) * sizeof(float);

    /// <summary>Records the sample of point slot <paramref name="point"/> (time / interval) in hour <paramref name="hour"/>.</summary>
    public void Add(long point, long hour, ReadOnlySpan<float> values, float disk)
    {
        lock (_points)
        {
            if (point < _lastPoint || hour < _lastHour)
            {
                return;
            }

            Advance(_points, PointFields, PointSlots, ref _lastPoint, point);
            values[..PointFields].CopyTo(_points.AsSpan(Slot(point, PointSlots) * PointFields, PointFields));
            if (hour != _lastHour)
            {
                Advance(_hours, HourFields, HourSlots, ref _lastHour, hour);
                _hourSamples = 0;
            }

            var at = Slot(hour, HourSlots) * HourFields;
            _hourSamples++;
            for (var i = 0; i < PointFields; i++)
            {
                if (!float.IsNaN(values[i]))
                {
                    // A running mean: an NaN slot starts from the first value.
                    _hours[at + i] = float.IsNaN(_hours[at + i]) ? values[i] : _hours[at + i] + (values[i] - _hours[at + i]) / _hourSamples;
                }
            }

            if (!float.IsNaN(disk))
            {
                _hours[at + PointFields] = disk;
            }
        }
    }

    /// <summary>The points of slots <paramref name="from"/> to <paramref name="to"/> that hold a sample.</summary>
    public List<(long Slot, float[] Values)> Points(long from, long to) => Read(_points, PointFields, PointSlots, _lastPoint, from, to);

    public List<(long Slot, float[] Values)> Hours(long from, long to) => Read(_hours, HourFields, HourSlots, _lastHour, from, to);

    private List<(long, float[])> Read(float[] ring, int fields, int slots, long last, long from, long to)
    {
        var result = new List<(long, float[])>();
        lock (_points)
        {
            to = Math.Min(to, last);
            from = Math.Max(from, last - slots + 1);
            for (var i = Math.Max(from, 0); i <= to; i++)
            {
                var values = ring.AsSpan(Slot(i, slots) * fields, fields);
                if (!AllNaN(values))
                {
                    result.Add((i, values.ToArray()));
                }
            }
        }

        return result;
    }

    public void Write(BinaryWriter writer)
    {
        lock (_points)
        {
            writer.Write(_lastPoint);
            writer.Write(_lastHour);
            writer.Write(_hourSamples);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_points.AsSpan()));
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_hours.AsSpan()));
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote; the points are dropped when <paramref name="keepPoints"/> is false (the interval changed).</summary>
    public static SeriesHistory Read(BinaryReader reader, bool keepPoints)
    {
        var series = new SeriesHistory { _lastPoint = reader.ReadInt64(), _lastHour = reader.ReadInt64(), _hourSamples = reader.ReadInt32() };
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(series._points.AsSpan()));
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(series._hours.AsSpan()));
        if (!keepPoints)
        {
            Array.Fill(series._points, float.NaN);
            series._lastPoint = -1;
        }

        return series;
    }

    /// <summary>Moves the ring's head to <paramref name="to"/>, emptying the slots skipped (the daemon was down, or a pass was late).</summary>
    private static void Advance(float[] ring, int fields, int slots, ref long last, long to)
    {
        if (last >= 0 && to > last)
        {
            for (var i = last + 1; i <= Math.Min(to, last + slots); i++)
            {
                ring.AsSpan(Slot(i, slots) * fields, fields).Fill(float.NaN);
            }
        }
        else if (last < 0 || to - last >= slots)
        {
            Array.Fill(ring, float.NaN);
        }

        last = to;
    }

    private static int Slot(long index, int slots) => (int)(index % slots);

    private static bool AllNaN(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsNaN(v))
            {
                return false;
            }
        }

        return true;
    }

    private static float[] Filled(int length)
    {
        var values = new float[length];
        Array.Fill(values, float.NaN);
        return values;
    }
}
