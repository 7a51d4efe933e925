using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// Compares a public contract (discovery document, JWKS shape) with a committed JSON file next to the tests, so it
/// cannot drift by accident. Set <c>LATCHKEY_UPDATE_SNAPSHOTS=1</c> to rewrite the file after a deliberate change.
/// </summary>
internal static class Snapshot
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Match(JsonNode actual, string name, [CallerFilePath] string callerFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots", name + ".json");
        var text = actual.ToJsonString(Indented) + "\n";
        if (Environment.GetEnvironmentVariable("LATCHKEY_UPDATE_SNAPSHOTS") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, text);
            Assert.Fail($"Snapshot {name} written to {path}; review and commit it, then run again.");
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != text)
        {
            Assert.Fail($"Snapshot {name} differs from {path} (- committed, + actual); after a deliberate change run with "
                + $"LATCHKEY_UPDATE_SNAPSHOTS=1 and commit the file:\n{Diff(expected, text)}");
        }
    }

    /// <summary>The differing lines with two lines of context, enough to see what changed in a long document.</summary>
    private static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lines = new List<string>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (i < a.Length && j < b.Length && a[i] == b[j])
            {
                i++;
                j++;
                continue;
            }

            // Resynchronise on the next line both sides share.
            var (di, dj) = NextCommon(a, i, b, j);
            lines.AddRange(a.Skip(Math.Max(0, i - 2)).Take(Math.Min(2, i)).Select(l => "  " + l));
            lines.AddRange(a[i..di].Select(l => "- " + l));
            lines.AddRange(b[j..dj].Select(l => "+ " + l));
            lines.Add("  ...");
            (i, j) = (di, dj);
        }

        return string.Join('\n', lines.Take(200));
    }

    private static (int, int) NextCommon(string[] a, int i, string[] b, int j)
    {
        for (var distance = 1; distance < a.Length + b.Length; distance++)
        {
            for (var x = 0; x <= distance; x++)
            {
                int ai = i + x, bj = j + (distance - x);
                if (ai < a.Length && bj < b.Length && a[ai] == b[bj])
                {
                    return (ai, bj);
                }
            }
        }

        return (a.Length, b.Length);
    }
}
