using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Latchkey.Server.Tests.Hosting;

/// <summary><c>Latchkey:*</c> settings: documented, validated at start, and honoured.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void Options_EveryKey_IsDocumentedWithItsDefault()
    {
        var docs = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "configuration.md"));

        var missing = new List<string>();
        foreach (var (key, value) in Keys(typeof(LatchkeyOptions), new LatchkeyOptions(), LatchkeyOptions.Section))
        {
            var row = docs.FirstOrDefault(line => line.StartsWith($"| `{key}` |", StringComparison.Ordinal));
            if (row is null || (value is not null && !row.Contains($"| `{Format(value)}` |", StringComparison.Ordinal)))
            {
                missing.Add(value is null ? key : $"{key} (default `{Format(value)}`)");
            }
        }

        Assert.True(missing.Count == 0, "docs/configuration.md lacks a row `| `key` | `default` | … |` for: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Run_OptionOutOfRange_ExitsWithOneNamingTheKeyAndTheRange()
    {
        var directory = Path.Combine(Path.GetTempPath(), "latchkey-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        using var error = new StringWriter();

        var exitCode = await LatchkeyServer.RunAsync(
            [
                "--urls", "http://127.0.0.1:0",
                "--ConnectionStrings:Latchkey", $"Data Source={Path.Combine(directory, "latchkey.db")}",
                "--Logging:LogLevel:Default", "Warning",
                "--Latchkey:SeedDevelopmentTenant", "false",
                "--Latchkey:Tokens:AuthorizationCodeLifetime", "00:20:00",
            ],
            error);

        Assert.Equal(1, exitCode);
        var text = error.ToString();
        Assert.Contains("the configuration is invalid", text, StringComparison.Ordinal);
        Assert.Contains("Latchkey:Tokens:AuthorizationCodeLifetime is 00:20:00; set it between 00:00:10 and 00:10:00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task IdentityTokenLifetime_Configured_SetsTheIdTokensExpiry()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--Latchkey:Tokens:IdentityTokenLifetime", "01:00:00");

        var tokens = await new CodeFlow().RunAsync(server);

        var idToken = new JsonWebToken((string)tokens["id_token"]!);
        Assert.Equal(TimeSpan.FromHours(1), idToken.ValidTo - idToken.IssuedAt);
    }

    /// <summary>Leaf settings under <paramref name="type"/> as <c>Latchkey:Surface:Name</c> keys with their defaults.</summary>
    private static IEnumerable<(string Key, object? Default)> Keys(Type type, object instance, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = prefix + ":" + property.Name;
            var value = property.GetValue(instance);
            if (property.PropertyType.IsClass && property.PropertyType.Namespace == typeof(LatchkeyOptions).Namespace)
            {
                foreach (var nested in Keys(property.PropertyType, value!, key))
                {
                    yield return nested;
                }
            }
            else
            {
                // A list setting defaults to empty: its row must exist and says "none".
                yield return (key, value is System.Collections.ICollection { Count: 0 } ? null : value);
            }
        }
    }

    /// <summary>The value as written in configuration (<c>00:05:00</c>, <c>7.00:00:00</c>, <c>true</c>, <c>65536</c>).</summary>
    private static string Format(object value) => value switch
    {
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static string RepositoryRoot([CallerFilePath] string callerFile = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(callerFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Latchkey.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Latchkey.slnx not found above " + callerFile);
    }
}
