using System.Globalization;
using System.Text;
using Berth.Contracts;

namespace Berth.Client.Exec;

/// <summary>One binary message of the exec websocket: a leading <see cref="ExecChannel"/> byte, then the payload.</summary>
internal readonly record struct ExecFrame(ExecChannel Channel, ReadOnlyMemory<byte> Payload)
{
    public static byte[] Encode(ExecChannel channel, ReadOnlySpan<byte> payload)
    {
        var message = new byte[payload.Length + 1];
        message[0] = (byte)channel;
        payload.CopyTo(message.AsSpan(1));
        return message;
    }

    public static byte[] EncodeResize(int columns, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        string size = string.Create(CultureInfo.InvariantCulture, $"{columns} {rows}");
        return Encode(ExecChannel.Resize, Encoding.ASCII.GetBytes(size));
    }

    /// <summary>False for an empty message, which carries no channel.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> message, out ExecFrame frame)
    {
        if (message.IsEmpty)
        {
            frame = default;
            return false;
        }

        frame = new ExecFrame((ExecChannel)message.Span[0], message[1..]);
        return true;
    }

    /// <summary>The exit code an <see cref="ExecChannel.Exit"/> frame carries as ASCII decimal.</summary>
    public static int ParseExitCode(ReadOnlySpan<byte> payload)
    {
        string text = Encoding.ASCII.GetString(payload).Trim();
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code)
            ? code
            : throw new InvalidDataException($"berthd sent an exit status that is not a number: '{text}'");
    }
}
