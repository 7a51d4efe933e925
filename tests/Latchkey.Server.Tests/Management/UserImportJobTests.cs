using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Management.Jobs;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// Auth0's bulk user import over real HTTP: <c>POST /api/v2/jobs/users-imports</c> (multipart), the job run by the
/// background worker, <c>GET /api/v2/jobs/{id}</c> and <c>/errors</c>, then the imported users logging in through the
/// real login page with their old passwords.
/// </summary>
public sealed class UserImportJobTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;
    private string _connectionId = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);
        _connectionId = await QueryAsync(db => db.Set<Connection>().Select(c => c.Id).SingleAsync());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task UsersImport_BcryptHashesAtCost10_UsersLogInWithOldPasswordsAsAuth0Ids()
    {
        // Hashes made by a bcrypt library at cost 10, in the three prefixes Auth0 accepts.
        var users = new JsonArray(
            ImportedUser("ann@example.com", "5f0c1a2b3c4d5e6f70819203", BCrypt.Net.BCrypt.HashPassword("ann-old-password", BCrypt.Net.BCrypt.GenerateSalt(10, 'a'))),
            ImportedUser("ben@example.com", "5f0c1a2b3c4d5e6f70819204", BCrypt.Net.BCrypt.HashPassword("ben-old-password", BCrypt.Net.BCrypt.GenerateSalt(10, 'b'))),
            ImportedUser("cat@example.com", "5f0c1a2b3c4d5e6f70819205", BCrypt.Net.BCrypt.HashPassword("cat-old-password", BCrypt.Net.BCrypt.GenerateSalt(10, 'y'))));

        var job = await ImportAndWaitAsync(users, upsert: false);

        Assert.Equal("completed", (string?)job["status"]);
        Assert.Equal(3, (int)job["summary"]!["inserted"]!);
        Assert.Equal(0, (int)job["summary"]!["failed"]!);
        foreach (var (email, id, password) in new[]
        {
            ("ann@example.com", "5f0c1a2b3c4d5e6f70819203", "ann-old-password"),
            ("ben@example.com", "5f0c1a2b3c4d5e6f70819204", "ben-old-password"),
            ("cat@example.com", "5f0c1a2b3c4d5e6f70819205", "cat-old-password"),
        })
        {
            Assert.StartsWith("$2", await StoredHashAsync(email), StringComparison.Ordinal);

            var tokens = await ManagementTokens.LogInForTokensAsync(_server, email, password, "read:current_user");

            Assert.Equal($"auth0|{id}", new JsonWebToken((string)tokens["id_token"]!).Subject);
            Assert.Equal($"auth0|{id}", new JsonWebToken((string)tokens["access_token"]!).Subject);

            // The first login replaced the imported bcrypt hash with Latchkey's own (Identity v3: base64, version 0x01).
            var upgraded = await StoredHashAsync(email);
            Assert.False(upgraded.StartsWith('$'), upgraded);
            Assert.Equal(0x01, Convert.FromBase64String(upgraded)[0]);
            var again = await ManagementTokens.LogInForTokensAsync(_server, email, password, "read:current_user");
            Assert.Equal($"auth0|{id}", new JsonWebToken((string)again["id_token"]!).Subject);
            Assert.Equal(upgraded, await StoredHashAsync(email));
        }

        using var client = Client(ManagementScopes.ReadUsers);
        var user = JsonNode.Parse(await client.GetStringAsync("api/v2/users/" + Uri.EscapeDataString("auth0|5f0c1a2b3c4d5e6f70819203")))!;
        Assert.Equal("Ann", (string?)user["given_name"]);
        Assert.True((bool)user["email_verified"]!);
        Assert.Equal("gold", (string?)user["app_metadata"]!["plan"]);
        var identity = user["identities"]![0]!;
        Assert.Equal("auth0", (string?)identity["provider"]);
        Assert.Equal("5f0c1a2b3c4d5e6f70819203", (string?)identity["user_id"]);
        Assert.Equal(Connection.DefaultName, (string?)identity["connection"]);
        Assert.False((bool)identity["isSocial"]!);
    }

    [Fact]
    public async Task UsersImport_CustomPasswordHash_LogsInAndIsUpgraded()
    {
        // sha512("password" + "pepper"), made with Python's hashlib.
        var user = ImportedUser("gus@example.com", "gus1", null);
        user["custom_password_hash"] = JsonNode.Parse("""
            { "algorithm": "sha512",
              "hash": { "value": "7542291488234e03d5c2cc832aaf77449b65fd92d6021ded11bdfaa51b565f47acf7dd28a6138ad7d6ed4a2ed57ffc4719db0423cc43a9311f7c08ef2ee95e54", "encoding": "hex" },
              "salt": { "value": "pepper", "position": "suffix" } }
            """);
        await ImportAndWaitAsync(new JsonArray(user), upsert: false);
        Assert.StartsWith("$auth0-custom$", await StoredHashAsync("gus@example.com"), StringComparison.Ordinal);

        var tokens = await ManagementTokens.LogInForTokensAsync(_server, "gus@example.com", "password", "read:current_user");

        Assert.Equal("auth0|gus1", new JsonWebToken((string)tokens["id_token"]!).Subject);
        Assert.Equal(0x01, Convert.FromBase64String(await StoredHashAsync("gus@example.com"))[0]);
        await ManagementTokens.LogInForTokensAsync(_server, "gus@example.com", "password", "read:current_user");
    }

    [Fact]
    public async Task UsersImport_WrongPassword_FailsAndKeepsImportedHash()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("dan-old-password", 10);
        await ImportAndWaitAsync(new JsonArray(ImportedUser("dan@example.com", "dan1", hash)), upsert: false);

        using var client = _server.CreateClient(new CookieContainer());
        using var response = await LoginDriver.LogInAsync(client, "dan@example.com", "not-dans-password");

        Assert.NotEqual(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(hash, await StoredHashAsync("dan@example.com"));
    }

    [Fact]
    public async Task UsersImport_InvalidUsers_ReportedByErrorsWithoutFailingTheRest()
    {
        var users = JsonNode.Parse("""
            [
              { "email": "good@example.com", "user_id": "good1" },
              { "user_id": "no-email" },
              { "email": "typed@example.com", "email_verified": "yes" },
              { "email": "hash@example.com", "password_hash": "plain-text-not-a-hash" },
              { "email": "extra@example.com", "username": "extra" },
              { "email": "not an email" },
              42
            ]
            """)!.AsArray();

        var job = await ImportAndWaitAsync(users, upsert: false);

        Assert.Equal("completed", (string?)job["status"]);
        Assert.Equal(JsonNode.Parse("""{ "failed": 6, "updated": 0, "inserted": 1, "total": 7 }"""), job["summary"], JsonNode.DeepEquals);
        using var client = Client(ManagementScopes.ReadUsers);
        var errors = JsonNode.Parse(await client.GetStringAsync($"api/v2/jobs/{job["id"]}/errors"))!.AsArray();
        Assert.Equal(6, errors.Count);
        Assert.Equal(("OBJECT_MISSING_REQUIRED_PROPERTY", "Missing required property: email"), Error(errors[0]!));
        Assert.Equal("no-email", (string?)errors[0]!["user"]!["user_id"]);
        Assert.Equal(("INVALID_TYPE", "Expected type boolean but found type string"), Error(errors[1]!));
        Assert.Equal("email_verified", (string?)errors[1]!["errors"]![0]!["path"]);
        Assert.Equal("INVALID_FORMAT", Error(errors[2]!).Code);
        Assert.Equal("password_hash", (string?)errors[2]!["errors"]![0]!["path"]);
        Assert.Null(errors[2]!["user"]!["password_hash"]);
        Assert.Equal(("OBJECT_ADDITIONAL_PROPERTIES", "Additional properties not allowed: username"), Error(errors[3]!));
        Assert.Equal("email", (string?)errors[4]!["errors"]![0]!["path"]);
        Assert.Equal(("INVALID_TYPE", "Expected type object but found type number"), Error(errors[5]!));
        Assert.Equal(1, await QueryAsync(db => db.Set<User>().CountAsync(u => u.UserId == "auth0|good1")));
        Assert.Equal(0, await QueryAsync(db => db.Set<User>().CountAsync(u => u.Email == "typed@example.com" || u.Email == "hash@example.com")));
    }

    [Fact]
    public async Task JobErrors_NoErrors_ReturnsTheJob()
    {
        var job = await ImportAndWaitAsync(new JsonArray(ImportedUser("eve@example.com", "eve1", null)), upsert: false);

        using var client = Client(ManagementScopes.CreateUsers);
        var errors = JsonNode.Parse(await client.GetStringAsync($"api/v2/jobs/{job["id"]}/errors"))!;

        Assert.Equal((string?)job["id"], (string?)errors["id"]);
        Assert.Equal("completed", (string?)errors["status"]);
    }

    [Fact]
    public async Task UsersImport_ExistingEmailWithoutUpsert_IsDuplicatedUserAndChangesNothing()
    {
        var before = await QueryAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Email == ManagementTenant.AliceEmail));
        var alice = new JsonObject { ["email"] = ManagementTenant.AliceEmail, ["name"] = "Changed", ["password_hash"] = BCrypt.Net.BCrypt.HashPassword("x", 4) };

        var job = await ImportAndWaitAsync(new JsonArray(alice, ImportedUser("fay@example.com", "fay1", null)), upsert: false);

        Assert.Equal(JsonNode.Parse("""{ "failed": 1, "updated": 0, "inserted": 1, "total": 2 }"""), job["summary"], JsonNode.DeepEquals);
        using var client = Client(ManagementScopes.ReadUsers);
        var errors = JsonNode.Parse(await client.GetStringAsync($"api/v2/jobs/{job["id"]}/errors"))!.AsArray();
        Assert.Equal(("DUPLICATED_USER", "The user already exist and upsert parameter is false"), Error(Assert.Single(errors)!));
        var after = await QueryAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Email == ManagementTenant.AliceEmail));
        Assert.Equal(before.Name, after.Name);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
    }

    [Fact]
    public async Task UsersImport_Upsert_UpdatesListedFieldsButNotThePassword()
    {
        var before = await QueryAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Email == ManagementTenant.AliceEmail));
        var alice = JsonNode.Parse($$"""
            { "email": "{{ManagementTenant.AliceEmail}}", "given_name": "Alicia", "blocked": true,
              "app_metadata": { "tier": 2 }, "password_hash": "{{BCrypt.Net.BCrypt.HashPassword("another", 4)}}" }
            """)!;

        var job = await ImportAndWaitAsync(new JsonArray(alice), upsert: true);

        Assert.Equal(JsonNode.Parse("""{ "failed": 0, "updated": 1, "inserted": 0, "total": 1 }"""), job["summary"], JsonNode.DeepEquals);
        Assert.True((bool)job["upsert"]!);
        var after = await QueryAsync(db => db.Set<User>().AsNoTracking().SingleAsync(u => u.Email == ManagementTenant.AliceEmail));
        Assert.Equal(before.UserId, after.UserId);
        Assert.Equal("Alicia", after.GivenName);
        Assert.Equal(before.Name, after.Name);
        Assert.True(after.Blocked);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        var metadata = JsonNode.Parse(after.AppMetadata)!;
        Assert.Equal("gold", (string?)metadata["plan"]);
        Assert.Equal(2, (int)metadata["tier"]!);
    }

    [Fact]
    public async Task UsersImport_FileOver500KB_Returns413WithAuth0Message()
    {
        var padding = new string('a', 600 * 1024);
        var users = $$"""[ { "email": "big@example.com", "user_metadata": { "pad": "{{padding}}" } } ]""";

        using var client = Client(ManagementScopes.CreateUsers);
        using var response = await client.PostAsync("api/v2/jobs/users-imports", Form(users, _connectionId));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(413, (int)error["statusCode"]!);
        Assert.Equal("Request Entity Too Large", (string?)error["error"]);
        Assert.Equal("Payload content length greater than maximum allowed: 512000", (string?)error["message"]);
        Assert.Equal(0, await QueryAsync(db => db.Set<Job>().CountAsync()));
    }

    [Theory]
    [InlineData("not json", "Payload validation error: 'The users file is not valid JSON")]
    [InlineData("{ \"email\": \"a@example.com\" }", "Payload validation error: 'The users file must contain a JSON array of users' on property users.")]
    public async Task UsersImport_FileNotAnArray_Returns400(string users, string message)
    {
        using var client = Client(ManagementScopes.CreateUsers);
        using var response = await client.PostAsync("api/v2/jobs/users-imports", Form(users, _connectionId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_body", (string?)error["errorCode"]);
        Assert.StartsWith(message, (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersImport_BadConnectionIds_Return400And404()
    {
        using var client = Client(ManagementScopes.CreateUsers);

        using var pattern = await client.PostAsync("api/v2/jobs/users-imports", Form("[]", "Username-Password-Authentication"));
        using var unknown = await client.PostAsync("api/v2/jobs/users-imports", Form("[]", "con_0000000000000000"));
        using var json = await client.PostAsync("api/v2/jobs/users-imports", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, pattern.StatusCode);
        Assert.Equal(
            "Payload validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$' on property connection_id.",
            (string?)JsonNode.Parse(await pattern.Content.ReadAsStringAsync())!["message"]);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task Jobs_UnknownId_Returns404InexistentJob()
    {
        using var client = Client(ManagementScopes.ReadUsers);

        using var job = await client.GetAsync("api/v2/jobs/job_0000000000000000");
        using var errors = await client.GetAsync("api/v2/jobs/job_0000000000000000/errors");

        foreach (var response in new[] { job, errors })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("inexistent_job", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorCode"]);
        }
    }

    [Fact]
    public async Task UsersImport_Post_Answers202PendingJobInAuth0Shape()
    {
        using var client = Client(ManagementScopes.CreateUsers);
        using var response = await client.PostAsync("api/v2/jobs/users-imports", Form("[]", _connectionId, ("external_id", "contoso"), ("upsert", "false")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("pending", (string?)job["status"]);
        Assert.Equal("users_import", (string?)job["type"]);
        Assert.Matches("^job_[A-Za-z0-9]{16}$", (string?)job["id"]);
        Assert.Equal(_connectionId, (string?)job["connection_id"]);
        Assert.Equal(Connection.DefaultName, (string?)job["connection"]);
        Assert.Equal("contoso", (string?)job["external_id"]);
        Assert.NotNull((string?)job["created_at"]);
    }

    [Fact]
    public async Task UserImportWorker_JobLeftProcessingByAStoppedNode_ResumesAfterItsLastBatch()
    {
        // A job a stopped node had claimed long ago, with its first user already written in its first batch.
        var users = new JsonArray(ImportedUser("gil@example.com", "gil1", null), ImportedUser("hal@example.com", "hal1", null));
        await QueryAsync(async db =>
        {
            db.Add(new Job
            {
                Id = "job_ResumedJob00000001",
                Type = Job.UsersImport,
                Status = JobStatus.Processing,
                ClaimedAt = DateTimeOffset.UtcNow - TimeSpan.FromHours(1),
                CreatedAt = DateTimeOffset.UtcNow - TimeSpan.FromHours(1),
                ConnectionId = _connectionId,
                Payload = users.ToJsonString(),
                Processed = 1,
                Inserted = 1,
                Total = 2,
            });
            return await db.SaveChangesAsync();
        });

        var job = await WaitForJobAsync("job_ResumedJob00000001");

        Assert.Equal(JsonNode.Parse("""{ "failed": 0, "updated": 0, "inserted": 2, "total": 2 }"""), job["summary"], JsonNode.DeepEquals);
        Assert.Equal(0, await QueryAsync(db => db.Set<User>().CountAsync(u => u.Email == "gil@example.com")));
        Assert.Equal(1, await QueryAsync(db => db.Set<User>().CountAsync(u => u.UserId == "auth0|hal1")));
        Assert.Null(await QueryAsync(db => db.Set<Job>().Where(j => j.Id == "job_ResumedJob00000001").Select(j => j.Payload).SingleAsync()));
    }

    [Fact]
    public async Task UsersImport_SameEmailTwiceInOneFile_SecondIsDuplicated()
    {
        var job = await ImportAndWaitAsync(new JsonArray(ImportedUser("ivy@example.com", "ivy1", null), ImportedUser("IVY@example.com", "ivy2", null)), upsert: false);

        Assert.Equal(JsonNode.Parse("""{ "failed": 1, "updated": 0, "inserted": 1, "total": 2 }"""), job["summary"], JsonNode.DeepEquals);
    }

    internal static JsonObject ImportedUser(string email, string userId, string? passwordHash)
    {
        var user = new JsonObject
        {
            ["email"] = email,
            ["email_verified"] = true,
            ["user_id"] = userId,
            ["given_name"] = char.ToUpperInvariant(email[0]) + email[1..email.IndexOf('@', StringComparison.Ordinal)],
            ["family_name"] = "Imported",
            ["user_metadata"] = new JsonObject { ["theme"] = "light" },
            ["app_metadata"] = new JsonObject { ["plan"] = "gold" },
        };
        if (passwordHash is not null)
        {
            user["password_hash"] = passwordHash;
        }

        return user;
    }

    private static (string Code, string Message) Error(JsonNode error) =>
        ((string)error["errors"]![0]!["code"]!, (string)error["errors"]![0]!["message"]!);

    private static MultipartFormDataContent Form(string users, string connectionId, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(users));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(file, "users", "users.json");
        form.Add(new StringContent(connectionId), "connection_id");
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    private async Task<JsonNode> ImportAndWaitAsync(JsonArray users, bool upsert)
    {
        using var client = Client(ManagementScopes.CreateUsers);
        using var response = await client.PostAsync("api/v2/jobs/users-imports", Form(users.ToJsonString(), _connectionId, ("upsert", upsert ? "true" : "false")));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return await WaitForJobAsync((string)JsonNode.Parse(body)!["id"]!);
    }

    private async Task<JsonNode> WaitForJobAsync(string id)
    {
        using var client = Client(ManagementScopes.ReadUsers);
        return await Eventually.PollAsync(
            async () => JsonNode.Parse(await client.GetStringAsync($"api/v2/jobs/{id}"))!,
            job => (string?)job["status"] is "completed" or "failed",
            TimeSpan.FromSeconds(60));
    }

    private HttpClient Client(string scope)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", ManagementTokens.Mint(_server, ManagementTenant.AdminClient + "@clients", scope, client: true));
        return client;
    }

    private Task<string> StoredHashAsync(string email) =>
        QueryAsync(db => db.Set<User>().Where(u => u.Email == email).Select(u => u.PasswordHash!).SingleAsync());

    private async Task<T> QueryAsync<T>(Func<LatchkeyDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }
}
