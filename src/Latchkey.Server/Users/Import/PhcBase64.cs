namespace Latchkey.Server.Users.Import;

/// <summary>
/// The PHC string format's "B64": standard base64 without padding (passlib writes <c>.</c> for <c>+</c>). Hand-written
/// because .NET has no decoder for unpadded base64 in the standard alphabet.
/// </summary>
internal static class PhcBase64
{
    public static byte[] Decode(string value)
    {
        var padded = value.Replace('.', '+');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => throw new FormatException("Invalid B64 length.") };
        return Convert.FromBase64String(padded);
    }
}
