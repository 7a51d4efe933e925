using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tests.Tenants;
using Latchkey.Server.Users;
using Latchkey.Server.Users.Import;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tests.Users;

/// <summary>
/// The <c>import-auth0</c> command on the committed sample export (<c>Fixtures/auth0-export</c>: a user-export job's
/// NDJSON and a password-hash export), against a real SQLite database through the server's own start-up.
/// </summary>
public sealed class ImportAuth0CommandTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "auth0-export");

    [Fact]
    public async Task ImportAuth0_SampleExport_JoinsUsersAndHashesKeepingAuth0Ids()
    {
        using var host = new TenantHost();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await LatchkeyServer.ImportAuth0Async(
            ["--users", Path.Combine(Fixtures, "users.ndjson"), "--hashes", Path.Combine(Fixtures, "hashes.ndjson"), .. host.Settings, "--Latchkey:SeedDevelopmentTenant", "false"],
            output,
            error);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("4 inserted, 0 updated, 0 refused; 1 without a password hash. Skipped: 1 users of other connections", output.ToString(), StringComparison.Ordinal);
        var users = await host.QueryAsync(db => db.Set<User>().AsNoTracking().OrderBy(u => u.Email).ToListAsync());
        Assert.Equal(["ann@example.com", "ben@example.com", "cleo@example.com", "dora@example.com"], users.Select(u => u.Email));
        Assert.Equal(
            ["auth0|60425dc43519d90068f82973", "auth0|60425dc43519d90068f82974", "auth0|60425dc43519d90068f82975", "auth0|60425dc43519d90068f82976"],
            users.Select(u => u.UserId));
        var ann = users[0];
        Assert.Equal(("Ann", "Archer", "Ann Archer", true), (ann.GivenName, ann.FamilyName, ann.Name, ann.EmailVerified));
        Assert.Equal("dark", (string?)JsonNode.Parse(ann.UserMetadata)!["theme"]);
        Assert.Equal("pro", (string?)JsonNode.Parse(ann.AppMetadata)!["plan"]);
        Assert.Null(users[2].PasswordHash);

        // The bcrypt hashes are stored as exported and verify with the old passwords (then get upgraded at login).
        var hasher = new ImportedPasswordHasher(new PasswordHasher<User>(Options.Create(new PasswordHasherOptions())));
        foreach (var (user, password) in new[] { (users[0], "ann-password-1"), (users[1], "ben-password-1"), (users[3], "dora-password-1") })
        {
            Assert.StartsWith("$2b$10$", user.PasswordHash, StringComparison.Ordinal);
            Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, hasher.VerifyHashedPassword(user, user.PasswordHash!, password));
        }
    }

    [Fact]
    public async Task ImportAuth0_RunTwice_SecondRunRefusesDuplicatesUnlessUpsert()
    {
        using var host = new TenantHost();
        string[] files = ["--users", Path.Combine(Fixtures, "users.ndjson"), "--hashes", Path.Combine(Fixtures, "hashes.ndjson"), .. host.Settings, "--Latchkey:SeedDevelopmentTenant", "false"];
        Assert.Equal(0, await LatchkeyServer.ImportAuth0Async(files, TextWriter.Null, TextWriter.Null));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var again = await LatchkeyServer.ImportAuth0Async(files, output, error);
        var upsert = await LatchkeyServer.ImportAuth0Async([.. files, "--upsert"], TextWriter.Null, TextWriter.Null);

        Assert.Equal(1, again);
        Assert.Contains("DUPLICATED_USER", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("$2b$", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("0 inserted, 0 updated, 4 refused", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, upsert);
        Assert.Equal(4, await host.QueryAsync(db => db.Set<User>().CountAsync()));
    }

    [Fact]
    public void Auth0Export_Join_SkipsSocialUsersAndOtherConnections()
    {
        var users = Auth0Export.ReadRecords(File.ReadAllText(Path.Combine(Fixtures, "users.ndjson")));
        var hashes = Auth0Export.ReadRecords(File.ReadAllText(Path.Combine(Fixtures, "hashes.ndjson")));

        var joined = Auth0Export.Join(users, hashes, "Username-Password-Authentication");

        Assert.Equal(4, joined.Users.Count);
        Assert.Equal(1, joined.SkippedSocial);
        Assert.Equal(1, joined.SkippedOtherConnections);
        Assert.Equal(1, joined.WithoutHash);
        Assert.DoesNotContain(joined.Users, u => ((string?)u!["user_id"])!.StartsWith("auth0|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportAuth0_NoFiles_PrintsUsage()
    {
        using var error = new StringWriter();

        var exit = await LatchkeyServer.RunAsync(["import-auth0"], error);

        Assert.Equal(2, exit);
        Assert.StartsWith("Usage: Latchkey.Server import-auth0", error.ToString(), StringComparison.Ordinal);
    }
}
