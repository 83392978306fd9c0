namespace Berth.Cli.Tty;

/// <summary>
/// Watches typed bytes for the console's detach sequence, Ctrl-a q (as lxc-console and screen have it). Ctrl-a a
/// (or Ctrl-a Ctrl-a) sends one Ctrl-a; Ctrl-a followed by anything else sends both.
/// </summary>
internal sealed class DetachKeys
{
    public const byte CtrlA = 0x01;

    private bool escape;

    /// <summary>Appends what should go to the container to <paramref name="output"/>; true when the user asked to detach.</summary>
    public bool Filter(ReadOnlySpan<byte> input, List<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (byte b in input)
        {
            if (escape)
            {
                escape = false;
                switch (b)
                {
                    case (byte)'q':
                        return true;
                    case (byte)'a' or CtrlA:
                        output.Add(CtrlA);
                        break;
                    default:
                        output.Add(CtrlA);
                        output.Add(b);
                        break;
                }
            }
            else if (b == CtrlA)
            {
                escape = true;
            }
            else
            {
                output.Add(b);
            }
        }

        return false;
    }
}
