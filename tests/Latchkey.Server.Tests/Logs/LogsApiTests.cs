using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Latchkey.Server.Logs;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Persistence;
using Latchkey.Server.Tests.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Logs;

/// <summary>
/// <c>GET /api/v2/logs</c>, <c>/logs/{id}</c> and <c>/users/{id}/logs</c> over a log with twelve known entries (one an
/// hour from 2026-01-01T00:00Z: <c>s</c>, <c>fp</c>, <c>seccft</c> in turn; alice on the first two, the M2M client on
/// the third), on SQLite and on PostgreSQL: paging and totals, sorting, fields, every <c>q</c> form and refusals,
/// checkpoint paging, scopes, 404. Tokens are minted, so no exchange adds entries of its own.
/// </summary>
public sealed class LogsApiTests
{
    private const string Alice = "latchkey|0000000000000000000a11ce";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Providers => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task List_PageWithTotalsAndSort_AnswersAuth0Shapes(string provider)
    {
        await using var log = await SeededLog.StartAsync(provider);

        var page = await log.GetObjectAsync("api/v2/logs?per_page=5&page=1&include_totals=true");
        Assert.Equal(5, (int)page["start"]!);
        Assert.Equal(5, (int)page["limit"]!);
        Assert.Equal(5, (int)page["length"]!);
        Assert.Equal(12, (int)page["total"]!);
        Assert.Equal(new[] { 6, 5, 4, 3, 2 }, Hours(page["logs"]!.AsArray()));

        Assert.Equal(new[] { 0, 1, 2 }, Hours(await log.GetArrayAsync("api/v2/logs?per_page=3&sort=date:1")));
        Assert.Equal(new[] { 11, 10, 9 }, Hours(await log.GetArrayAsync("api/v2/logs?per_page=3&sort=date:-1")));
        Assert.Equal(12, (await log.GetArrayAsync("api/v2/logs")).Count);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task List_EachQueryForm_FiltersEntries(string provider)
    {
        await using var log = await SeededLog.StartAsync(provider);

        async Task<int[]> Search(string q) => Hours(await log.GetArrayAsync("api/v2/logs?sort=date:1&q=" + Uri.EscapeDataString(q)));

        Assert.Equal(new[] { 1, 4, 7, 10 }, await Search("type:fp"));
        Assert.Equal(new[] { 1, 4, 7, 10 }, await Search("type:\"fp\""));
        Assert.Equal(new[] { 0, 1, 3, 4, 6, 7, 9, 10 }, await Search($"user_id:\"{Alice}\""));
        Assert.Equal(new[] { 2, 5, 8, 11 }, await Search($"client_id:{ProtocolTenant.M2mClient}"));
        Assert.Equal(new[] { 2, 3, 4, 5 }, await Search("date:[2026-01-01T02:00:00Z TO 2026-01-01T05:00:00Z]"));
        Assert.Equal(new[] { 3, 4 }, await Search("date:{2026-01-01T02:00:00Z TO 2026-01-01T05:00:00Z}"));
        Assert.Equal(new[] { 0, 1 }, await Search("date:[* TO 2026-01-01T01:00:00Z]"));
        Assert.Equal(new[] { 0, 3, 6, 9 }, await Search("type:s AND date:[2026-01-01 TO 2026-01-01]"));
        Assert.Equal(new[] { 0, 1, 3, 4 }, await Search("(type:s OR type:fp) AND date:[* TO 2026-01-01T04:00:00Z]"));
        Assert.Equal(new[] { 1, 2, 4, 5, 7, 8, 10, 11 }, await Search("type:fp || client_id:m2m"));
        Assert.Empty(await Search("type:s && client_id:m2m"));
    }

    [Theory]
    [InlineData("NOT type:s", "NOT")]
    [InlineData("-type:s", "NOT")]
    [InlineData("type:f*", "wildcards")]
    [InlineData("description:denied", "description")]
    [InlineData("type:s client_id:spa", "AND or OR")]
    [InlineData("user_id:[a TO b]", "date only")]
    [InlineData("(type:s", "not closed")]
    [InlineData("date:2026-01-01", "range")]
    [InlineData("date:[yesterday TO *]", "ISO 8601")]
    public async Task List_UnsupportedQuery_400NamingThePart(string q, string named)
    {
        await using var log = await SeededLog.StartAsync("sqlite");

        using var response = await log.Admin.GetAsync("api/v2/logs?q=" + Uri.EscapeDataString(q));
        var body = await response.ReadJsonObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_query_string", (string?)body["errorCode"]);
        Assert.Contains(named, (string)body["message"]!, StringComparison.Ordinal);
        Assert.EndsWith("on property q.", (string)body["message"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sort=user_id:1")]
    [InlineData("sort=date")]
    [InlineData("per_page=101")]
    [InlineData("page=10&per_page=100")]
    [InlineData("page=20&per_page=50")]
    [InlineData("include_fields=maybe")]
    [InlineData("take=101")]
    [InlineData("take=0")]
    [InlineData("from=123")]
    public async Task List_OutOfRangeParameter_400InvalidQueryString(string query)
    {
        await using var log = await SeededLog.StartAsync("sqlite");

        using var response = await log.Admin.GetAsync("api/v2/logs?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_query_string", (string?)(await response.ReadJsonObjectAsync())["errorCode"]);
    }

    [Fact]
    public async Task List_LastPageWithinThousand_Answers()
    {
        await using var log = await SeededLog.StartAsync("sqlite");

        Assert.Empty(await log.GetArrayAsync("api/v2/logs?page=9&per_page=100"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Checkpoint_FromAndTake_ReadsOnInLogIdOrderWithNextLink(string provider)
    {
        await using var log = await SeededLog.StartAsync(provider);

        // Without from: from the oldest entry. Every other parameter is ignored (Auth0).
        using var first = await log.Admin.GetAsync("api/v2/logs?take=5&q=type:fp&sort=date:-1");
        var firstPage = JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, Hours(firstPage));
        var fifth = (string)firstPage[4]!["log_id"]!;
        Assert.Contains($"from={fifth}&take=5", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.EndsWith("rel=\"next\"", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        Assert.Equal(new[] { 5, 6, 7, 8, 9 }, Hours(await log.GetArrayAsync($"api/v2/logs?from={fifth}&take=5")));
        Assert.Equal(new[] { 10, 11 }, Hours(await log.GetArrayAsync($"api/v2/logs?from={log.Ids[9]}&take=100&page=3")));

        var last = log.Ids[^1];
        using var end = await log.Admin.GetAsync($"api/v2/logs?from={last}");
        Assert.Empty(JsonNode.Parse(await end.Content.ReadAsStringAsync())!.AsArray());
        Assert.Contains($"from={last}&take=50", end.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FieldsIncludedOrExcluded_ShapesEntries()
    {
        await using var log = await SeededLog.StartAsync("sqlite");

        var only = (await log.GetArrayAsync("api/v2/logs?per_page=1&fields=type,log_id&include_fields=true"))[0]!.AsObject();
        Assert.Equal(new[] { "log_id", "type" }, only.Select(p => p.Key).Order(StringComparer.Ordinal));

        var without = (await log.GetArrayAsync("api/v2/logs?per_page=1&fields=details,user_agent&include_fields=false"))[0]!.AsObject();
        Assert.False(without.ContainsKey("user_agent"));
        Assert.True(without.ContainsKey("date"));
        Assert.True(without.ContainsKey("log_id"));
    }

    [Fact]
    public async Task GetById_KnownAndUnknown_EntryOr404()
    {
        await using var log = await SeededLog.StartAsync("sqlite");

        using var found = await log.Admin.GetAsync($"api/v2/logs/{log.Ids[1]}");
        var entry = await found.ReadJsonObjectAsync();
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("fp", (string?)entry["type"]);
        Assert.Equal(Alice, (string?)entry["user_id"]);
        Assert.Equal("alice@example.com", (string?)entry["user_name"]);
        Assert.Equal("SPA", (string?)entry["client_name"]);
        Assert.Equal("2026-01-01T01:00:00.000Z", (string?)entry["date"]);
        Assert.Equal(log.Ids[1], (string?)entry["log_id"]);

        foreach (var unknown in new[] { "90020260101000000000" + new string('0', 36), "nope" })
        {
            using var missing = await log.Admin.GetAsync($"api/v2/logs/{unknown}");
            var body = await missing.ReadJsonObjectAsync();
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("inexistent_log", (string?)body["errorCode"]);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UserLogs_PageWithTotals_OnlyThatUsersEntries(string provider)
    {
        await using var log = await SeededLog.StartAsync(provider);

        var page = await log.GetObjectAsync($"api/v2/users/{Uri.EscapeDataString(Alice)}/logs?per_page=3&page=1&include_totals=true");
        Assert.Equal(8, (int)page["total"]!);
        Assert.Equal(3, (int)page["start"]!);
        Assert.Equal(new[] { 6, 4, 3 }, Hours(page["logs"]!.AsArray()));
        Assert.Equal(new[] { 0, 1, 3 }, Hours(await log.GetArrayAsync($"api/v2/users/{Uri.EscapeDataString(Alice)}/logs?per_page=3&sort=date:1")));
        Assert.Empty(await log.GetArrayAsync("api/v2/users/latchkey%7Cnobody/logs"));
    }

    [Fact]
    public async Task Scopes_WithoutReadLogs_403AndReadLogsUsersOnlyReachesUserLogs()
    {
        await using var log = await SeededLog.StartAsync("sqlite");
        using var usersOnly = log.ClientWith("read:users update:users");
        using var logsUsers = log.ClientWith("read:logs_users");
        var userLogs = $"api/v2/users/{Uri.EscapeDataString(Alice)}/logs";

        foreach (var path in new[] { "api/v2/logs", $"api/v2/logs/{log.Ids[0]}", userLogs })
        {
            using var refused = await usersOnly.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("insufficient_scope", (string?)(await refused.ReadJsonObjectAsync())["errorCode"]);
        }

        Assert.Equal(HttpStatusCode.OK, (await logsUsers.GetAsync(userLogs)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await logsUsers.GetAsync("api/v2/logs")).StatusCode);
        using var anonymous = log.Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v2/logs")).StatusCode);
    }

    private static int[] Hours(JsonArray entries) =>
        [.. entries.Select(e => (int)(DateTimeOffset.Parse((string)e!["date"]!, System.Globalization.CultureInfo.InvariantCulture) - Start).TotalHours)];

    /// <summary>A server whose log holds the twelve known entries, and an administrator client that reads it.</summary>
    private sealed class SeededLog : IAsyncDisposable
    {
        private PostgresDatabase? _database;

        public LatchkeyTestServer Server { get; private set; } = null!;

        public HttpClient Admin { get; private set; } = null!;

        public List<string> Ids { get; } = [];

        public static async Task<SeededLog> StartAsync(string provider)
        {
            var log = new SeededLog { _database = provider == "postgres" ? await PostgresDatabase.CreateAsync() : null };
            log.Server = await LogsTenant.StartAsync(log._database);
            log.Admin = log.ClientWith("read:logs");
            await using var scope = log.Server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            string[] types = ["s", "fp", "seccft"];
            for (var hour = 0; hour < 12; hour++)
            {
                var type = types[hour % 3];
                var id = LogIds.Next(DateTimeOffset.UtcNow);
                log.Ids.Add(id);
                db.Add(new LogEvent
                {
                    LogId = id,
                    Date = Start.AddHours(hour),
                    Type = type,
                    ClientId = type == "seccft" ? ProtocolTenant.M2mClient : ProtocolTenant.SpaClient,
                    ClientName = type == "seccft" ? "M2M" : "SPA",
                    UserId = type == "seccft" ? null : Alice,
                    UserName = type == "seccft" ? null : "alice@example.com",
                    Ip = "192.0.2.1",
                    UserAgent = "seed",
                    Details = type == "fp" ? """{"error":"wrong password"}""" : null,
                });
            }

            await db.SaveChangesAsync();
            return log;
        }

        public HttpClient ClientWith(string scope)
        {
            var client = Server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ManagementTokens.Mint(Server, "logs-reader@clients", scope, client: true));
            return client;
        }

        public async Task<JsonArray> GetArrayAsync(string url)
        {
            using var response = await Admin.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {body}");
            return JsonNode.Parse(body)!.AsArray();
        }

        public async Task<JsonObject> GetObjectAsync(string url)
        {
            using var response = await Admin.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {body}");
            return JsonNode.Parse(body)!.AsObject();
        }

        public async ValueTask DisposeAsync()
        {
            Admin.Dispose();
            await Server.DisposeAsync();
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}
