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

        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), text);
    }
}
