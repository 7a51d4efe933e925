using System.Security.Cryptography;
using System.Text;
using Latchkey.Server.Actions;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Applies a tenant file: checks its references against the file and the database, then upserts every entity by its
/// natural key (API identifier, client_id, (client_id, audience), role name, email) in one transaction, so a bad
/// file writes nothing and re-applying a file changes values but never duplicates rows. Entities absent from the
/// file are left alone. The write goes through <see cref="TenantWriter"/>, so every node serves the new tenant.
/// </summary>
internal sealed class TenantImporter(
    LatchkeyDbContext db,
    IOptions<LatchkeyOptions> options,
    TenantWriter writer,
    ClientSecretHasher secretHasher,
    ActionSecretProtector actionSecrets,
    IPasswordHasher<User> passwordHasher,
    TimeProvider time,
    ILogger<TenantImporter> logger)
{
    private string ManagementIdentifier => ManagementApiDefinition.IdentifierFor(options.Value.Issuer!);

    /// <summary>
    /// Reads, validates and applies the tenant file at <paramref name="path"/>, unless it is the file the last import
    /// applied and nothing it asserts has changed since (<see cref="IsUnchangedSinceLastImportAsync"/>): a restart then
    /// skips the import's queries and its PBKDF2 verification per user. Returns whether it applied the file.
    /// </summary>
    public async Task<bool> ImportFileAsync(string path, CancellationToken cancellationToken = default)
    {
        byte[] json;
        try
        {
            // Bytes, not text: decoding would turn invalid UTF-8 into U+FFFD silently; the reader refuses it by name.
            json = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TenantFileException(path, [$"cannot read the file: {ex.Message}"]);
        }

        var file = TenantFileReader.Parse(json, path);
        var fileHash = FileHash(json);
        if (await IsUnchangedSinceLastImportAsync(file, fileHash, cancellationToken))
        {
            logger.LogInformation("Tenant file {File} not applied again: it is the file the last import applied, and nothing it sets has changed since", path);
            return false;
        }

        var secrets = ProtectActionSecrets(file);
        await writer.WriteAsync(ct => WriteAsync(file, secrets, path, fileHash, ct), cancellationToken);
        logger.LogInformation(
            "Applied tenant file {File}: {Apis} APIs, {Clients} applications, {Grants} client grants, {Roles} roles, {Users} users, {Actions} actions",
            path, file.ResourceServers.Count, file.Clients.Count, file.ClientGrants.Count, file.Roles.Count, file.Users.Count, file.Actions.Count);
        return true;
    }

    /// <summary>
    /// Whether applying <paramref name="file"/> again would change nothing: the last import recorded the same file hash
    /// (the file's bytes and this build), the tenant version has not moved since (every configuration write bumps it:
    /// the Management API, a key rotation, the built-in Management API after an issuer change), and the file's users
    /// are as the import left them (users are not tenant configuration and move no version, so their rows are
    /// compared by digest: a password, role or block changed through the Management API or a login's rehash makes the
    /// import run again and re-assert the file).
    /// </summary>
    private async Task<bool> IsUnchangedSinceLastImportAsync(TenantFile file, string fileHash, CancellationToken cancellationToken)
    {
        var last = await db.Set<TenantFileImport>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == TenantFileImport.SingletonId, cancellationToken);
        if (last is null || last.FileHash != fileHash)
        {
            return false;
        }

        var version = await db.Set<TenantVersion>().Where(v => v.Id == TenantVersion.SingletonId).Select(v => v.Version).SingleAsync(cancellationToken);
        return version == last.TenantVersion
            && UsersDigest(file, await FileUsers(file).AsNoTracking().ToDictionaryAsync(u => u.NormalizedEmail, StringComparer.Ordinal, cancellationToken)) == last.UsersDigest;
    }

    /// <summary>
    /// Records what this import left (<see cref="TenantFileImport"/>), in its transaction. The version recorded is the
    /// one read here plus the <see cref="TenantWriter"/>'s bump that follows; a write by another node in between only
    /// makes the recorded version too low, so the next start imports again (never skips wrongly). The users are read
    /// back as stored (PostgreSQL's <c>jsonb</c> rewrites metadata), so the digest is the one the next start computes.
    /// </summary>
    private async Task RecordImportAsync(TenantFile file, string fileHash, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        var users = await FileUsers(file).AsNoTracking().ToDictionaryAsync(u => u.NormalizedEmail, StringComparer.Ordinal, cancellationToken);
        var version = await db.Set<TenantVersion>().Where(v => v.Id == TenantVersion.SingletonId).Select(v => v.Version).SingleAsync(cancellationToken);
        var record = await db.Set<TenantFileImport>().SingleOrDefaultAsync(i => i.Id == TenantFileImport.SingletonId, cancellationToken);
        if (record is null)
        {
            record = new TenantFileImport();
            db.Add(record);
        }

        record.FileHash = fileHash;
        record.TenantVersion = version + 1;
        record.UsersDigest = UsersDigest(file, users);
        record.ImportedAt = time.GetUtcNow();
    }

    /// <summary>SHA-256 of the file and of this build (its module version id): an upgraded server applies the file again.</summary>
    private static string FileHash(byte[] json)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(typeof(TenantImporter).Module.ModuleVersionId.ToByteArray());
        hash.AppendData(json);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of what the import asserts about the file's users (a missing user counts too), in the file's order.</summary>
    private static string UsersDigest(TenantFile file, Dictionary<string, User> users)
    {
        var text = new StringBuilder();
        void Add(string? value) => text.Append(value?.Length ?? -1).Append(':').Append(value).Append(';');
        foreach (var email in file.Users.Select(u => EmailAddress.Normalize(u.Email)))
        {
            if (!users.TryGetValue(email, out var user))
            {
                Add("missing");
                continue;
            }

            Add(user.UserId);
            Add(user.Email);
            Add(user.EmailVerified ? "1" : "0");
            Add(user.Name);
            Add(user.UserMetadata);
            Add(user.AppMetadata);
            Add(user.Blocked ? "1" : "0");
            Add(user.PasswordHash);
            Add(string.Join(',', user.Roles.Select(r => r.RoleId.ToString("N")).Order(StringComparer.Ordinal)));
            Add(string.Join(',', user.Permissions.Select(p => p.ResourceServerIdentifier + " " + p.PermissionName).Order(StringComparer.Ordinal)));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private IQueryable<User> FileUsers(TenantFile file)
    {
        var emails = file.Users.Select(u => EmailAddress.Normalize(u.Email)).ToList();
        return db.Set<User>().Include(u => u.Roles).Include(u => u.Permissions).AsSingleQuery().Where(u => emails.Contains(u.NormalizedEmail));
    }

    /// <summary>
    /// Registers or updates the built-in Management API (identifier follows the issuer), and the dashboard's Application
    /// and administrator role (<see cref="DashboardDefinition"/>). At a start that finds them as they should be (every
    /// start but the first and those after an upgrade or an issuer change) nothing is written and the tenant version
    /// does not move, so the other nodes do not reload. Returns whether anything was written.
    /// </summary>
    public Task<bool> EnsureManagementApiAsync(CancellationToken cancellationToken = default) =>
        writer.WriteIfChangedAsync(async ct =>
        {
            await UpsertManagementApiAsync(ct);
            await GetOrAddConnectionAsync(ct);
            await UpsertDashboardAsync(ct);
        }, cancellationToken);

    public Task ApplyAsync(TenantFile file, string fileName, CancellationToken cancellationToken = default)
    {
        var secrets = ProtectActionSecrets(file);
        return writer.WriteAsync(ct => WriteAsync(file, secrets, fileName, fileHash: null, ct), cancellationToken);
    }

    /// <summary>
    /// Encrypted before the transaction: the Data Protection key ring may first have to create its key, a database
    /// write that would wait on the transaction's lock (SQLite has one writer).
    /// </summary>
    private Dictionary<string, List<ActionSecret>?> ProtectActionSecrets(TenantFile file) =>
        file.Actions.ToDictionary(
            a => a.Name!,
            a => a.Secrets?.Select(s => new ActionSecret { Name = s!.Name!, ProtectedValue = actionSecrets.Protect(s.Value!), UpdatedAt = time.GetUtcNow() }).ToList(),
            StringComparer.Ordinal);

    /// <param name="fileHash">For the file of <c>Latchkey:Import</c>: recorded with what the import left (<see cref="RecordImportAsync"/>).</param>
    private async Task WriteAsync(TenantFile file, Dictionary<string, List<ActionSecret>?> secrets, string fileName, string? fileHash, CancellationToken cancellationToken)
    {
        await UpsertManagementApiAsync(cancellationToken);

        var apis = await db.Set<Api>().ToDictionaryAsync(a => a.Identifier, StringComparer.Ordinal, cancellationToken);
        var applications = await db.Set<Application>().ToDictionaryAsync(a => a.ClientId, StringComparer.Ordinal, cancellationToken);
        var grants = await db.Set<ClientGrant>().ToDictionaryAsync(g => (g.ClientId, g.Audience), cancellationToken);
        var roles = await db.Set<Role>().ToDictionaryAsync(r => r.Name, StringComparer.Ordinal, cancellationToken);
        var users = await FileUsers(file).ToDictionaryAsync(u => u.NormalizedEmail, StringComparer.Ordinal, cancellationToken);

        var actions = await db.Set<ActionDefinition>().ToDictionaryAsync(a => a.Name, StringComparer.Ordinal, cancellationToken);

        var problems = CheckReferences(file, apis, applications, roles);
        problems.AddRange(CheckBindings(file, actions));
        if (problems.Count > 0)
        {
            throw new TenantFileException(fileName, problems);
        }

        foreach (var api in file.ResourceServers)
        {
            UpsertApi(apis, api.ToApi());
        }

        foreach (var client in file.Clients)
        {
            UpsertApplication(applications, client.ToApplication(), client.ClientSecret);
        }

        foreach (var grant in file.ClientGrants.Select(g => g.ToClientGrant()))
        {
            if (grants.TryGetValue((grant.ClientId, grant.Audience), out var existing))
            {
                existing.Scope = grant.Scope;
            }
            else
            {
                db.Add(grant);
            }
        }

        foreach (var role in file.Roles.Select(r => r.ToRole()))
        {
            if (roles.TryGetValue(role.Name, out var existing))
            {
                existing.Description = role.Description;
                existing.Permissions = role.Permissions;
            }
            else
            {
                db.Add(role);
                roles[role.Name] = role;
            }
        }

        foreach (var user in file.Users)
        {
            UpsertUser(users, roles, user);
        }

        foreach (var incoming in file.Connections)
        {
            var connection = await GetOrAddConnectionAsync(cancellationToken);
            connection.DisableSignup = incoming.DisableSignup ?? connection.DisableSignup;
        }

        foreach (var action in file.Actions)
        {
            UpsertAction(actions, action, secrets[action.Name!]);
        }

        await ReplaceBindingsAsync(file, actions, cancellationToken);
        if (fileHash is not null)
        {
            await RecordImportAsync(file, fileHash, cancellationToken);
        }
    }

    /// <summary>Each binding names an Action of the file or the tenant that supports the trigger and is (or will be) deployed.</summary>
    private static IEnumerable<string> CheckBindings(TenantFile file, Dictionary<string, ActionDefinition> stored)
    {
        var known = stored.Values.ToDictionary(
            a => a.Name,
            a => ((IReadOnlySet<string>)a.SupportedTriggers.Select(t => t.Id).ToHashSet(StringComparer.Ordinal), a.DeployedCode is not null),
            StringComparer.Ordinal);
        foreach (var action in file.Actions)
        {
            var existing = stored.GetValueOrDefault(action.Name!);
            known[action.Name!] = (action.TriggerIds(existing).ToHashSet(StringComparer.Ordinal), action.Deployed == true || existing?.DeployedCode is not null);
        }

        foreach (var (trigger, bindings) in file.Triggers)
        {
            for (var i = 0; i < bindings.Count; i++)
            {
                if (ActionRules.CheckBinding(trigger, bindings[i], known) is { } problem)
                {
                    yield return $"{RulePath.Join(RulePath.Index(RulePath.Join("triggers", trigger), i), "action_name")}: {problem}";
                }
            }
        }
    }

    /// <summary>
    /// Upserts by name. <c>deployed: true</c> deploys the file's code when it differs from what runs (a new version, parsed
    /// once); secrets given in the file replace the stored ones, encrypted.
    /// </summary>
    private void UpsertAction(Dictionary<string, ActionDefinition> actions, ActionDraft incoming, List<ActionSecret>? secrets)
    {
        var now = time.GetUtcNow();
        if (!actions.TryGetValue(incoming.Name!, out var action))
        {
            action = new ActionDefinition { Id = ActionDefinition.NewId(), Name = incoming.Name!, Code = incoming.Code!, CreatedAt = now };
            db.Add(action);
            actions[action.Name] = action;
        }

        action.Code = incoming.Code!;
        action.Runtime = incoming.Runtime ?? action.Runtime;
        if (incoming.SupportedTriggers is { } triggers)
        {
            action.SupportedTriggers = triggers.Select(t => new ActionTriggerRef { Id = t!.Id!, Version = t.Version ?? ActionTriggers.Versions[t.Id!] }).ToList();
        }

        if (secrets is not null)
        {
            action.Secrets = secrets;
        }

        if (incoming.Deployed == true && action.DeployedCode != action.Code)
        {
            action.Deploy(now);
        }

        action.UpdatedAt = now;
    }

    /// <summary>A trigger named in the file gets exactly the file's bindings, in the file's order; others are left alone.</summary>
    private async Task ReplaceBindingsAsync(TenantFile file, Dictionary<string, ActionDefinition> actions, CancellationToken cancellationToken)
    {
        if (file.Triggers.Count == 0)
        {
            return;
        }

        var triggerIds = file.Triggers.Keys.ToList();
        db.RemoveRange(await db.Set<ActionBinding>().Where(b => triggerIds.Contains(b.TriggerId)).ToListAsync(cancellationToken));
        foreach (var (trigger, bindings) in file.Triggers)
        {
            for (var i = 0; i < bindings.Count; i++)
            {
                var action = actions[bindings[i].ActionName!];
                db.Add(new ActionBinding
                {
                    TriggerId = trigger,
                    Position = i,
                    ActionId = action.Id,
                    DisplayName = bindings[i].DisplayName ?? action.Name,
                    CreatedAt = time.GetUtcNow(),
                });
            }
        }
    }

    /// <summary>The database connection, created on the first start together with the built-in Management API.</summary>
    private async Task<Connection> GetOrAddConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = db.Set<Connection>().Local.FirstOrDefault(c => c.Name == Connection.DefaultName)
            ?? await db.Set<Connection>().FirstOrDefaultAsync(c => c.Name == Connection.DefaultName, cancellationToken);
        if (connection is null)
        {
            connection = new Connection { Id = Connection.NewId(), Name = Connection.DefaultName };
            db.Add(connection);
        }

        return connection;
    }

    private List<string> CheckReferences(TenantFile file, Dictionary<string, Api> storedApis, Dictionary<string, Application> storedApplications, Dictionary<string, Role> storedRoles)
    {
        var problems = new List<RuleProblem>();

        // What the tenant will hold after this import: the file's definitions win over stored ones.
        var apiScopes = storedApis.Values.ToDictionary(a => a.Identifier, a => (IReadOnlySet<string>)a.Scopes.Select(s => s.Value).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var appTypes = storedApplications.Values.ToDictionary(a => a.ClientId, a => a.AppType, StringComparer.Ordinal);
        var roleNames = storedRoles.Keys.ToHashSet(StringComparer.Ordinal);

        for (var i = 0; i < file.ResourceServers.Count; i++)
        {
            var api = file.ResourceServers[i];
            if (api.Identifier == ManagementIdentifier || storedApis.GetValueOrDefault(api.Identifier!)?.IsSystem == true)
            {
                problems.Add(new($"resource_servers[{i}].identifier", $"\"{api.Identifier}\" is the built-in Management API; it cannot be redefined (client grants and roles may use it)"));
            }
            else
            {
                apiScopes[api.Identifier!] = (api.Scopes ?? []).Select(s => s!.Value!).ToHashSet(StringComparer.Ordinal);
            }
        }

        foreach (var client in file.Clients)
        {
            appTypes[client.ClientId!] = client.AppType!;
        }

        foreach (var role in file.Roles)
        {
            roleNames.Add(role.Name!);
        }

        var tenant = new TenantReferences(apiScopes, appTypes, roleNames, "in this file or the tenant");
        for (var i = 0; i < file.ClientGrants.Count; i++)
        {
            problems.AddRange(ClientGrantRules.CheckReferences(file.ClientGrants[i], tenant, $"client_grants[{i}]"));
        }

        for (var i = 0; i < file.Roles.Count; i++)
        {
            problems.AddRange(RoleRules.CheckReferences(file.Roles[i], tenant, $"roles[{i}]"));
        }

        for (var i = 0; i < file.Users.Count; i++)
        {
            problems.AddRange(UserRules.CheckReferences(file.Users[i], tenant, $"users[{i}]"));
        }

        return problems.Select(p => p.ToString()).ToList();
    }

    private async Task UpsertManagementApiAsync(CancellationToken cancellationToken)
    {
        var identifier = ManagementIdentifier;
        var system = await db.Set<Api>().FirstOrDefaultAsync(a => a.IsSystem, cancellationToken)
            ?? await db.Set<Api>().FirstOrDefaultAsync(a => a.Identifier == identifier, cancellationToken);
        if (system is null)
        {
            system = new Api { Identifier = identifier, Name = ManagementApiDefinition.Name };
            db.Add(system);
        }

        // The issuer may have changed since the last start: the Management API follows it.
        system.Identifier = identifier;
        system.Name = ManagementApiDefinition.Name;
        system.IsSystem = true;
        system.AllowOfflineAccess = false;
        var scopes = ManagementApiDefinition.Scopes();
        if (!system.Scopes.Select(s => (s.Value, s.Description)).SequenceEqual(scopes.Select(s => (s.Value, s.Description))))
        {
            system.Scopes = [.. scopes];
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task UpsertDashboardAsync(CancellationToken cancellationToken)
    {
        var issuer = options.Value.Issuer!;
        var application = await db.Set<Application>().FirstOrDefaultAsync(a => a.ClientId == DashboardDefinition.ClientId, cancellationToken);
        if (application is null)
        {
            application = new Application { ClientId = DashboardDefinition.ClientId, Name = DashboardDefinition.ApplicationName };
            db.Add(application);
        }

        DashboardDefinition.Configure(application, issuer);

        var role = await db.Set<Role>().FirstOrDefaultAsync(r => r.Name == DashboardDefinition.AdministratorRole, cancellationToken);
        if (role is null)
        {
            role = new Role { Name = DashboardDefinition.AdministratorRole };
            db.Add(role);
        }

        role.Description = "Every Management API permission: runs the tenant from the dashboard.";
        var permissions = DashboardDefinition.AdministratorPermissions(issuer).ToList();
        if (!role.Permissions.Select(p => (p.ResourceServerIdentifier, p.PermissionName)).SequenceEqual(permissions.Select(p => (p.ResourceServerIdentifier, p.PermissionName))))
        {
            role.Permissions = permissions;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private void UpsertApi(Dictionary<string, Api> apis, Api api)
    {
        if (!apis.TryGetValue(api.Identifier, out var existing))
        {
            db.Add(api);
            apis[api.Identifier] = api;
            return;
        }

        existing.Name = api.Name;
        existing.SigningAlg = api.SigningAlg;
        existing.TokenLifetime = api.TokenLifetime;
        existing.TokenLifetimeForWeb = api.TokenLifetimeForWeb;
        existing.AllowOfflineAccess = api.AllowOfflineAccess;
        existing.SkipConsentForVerifiableFirstPartyClients = api.SkipConsentForVerifiableFirstPartyClients;
        existing.EnforcePolicies = api.EnforcePolicies;
        existing.TokenDialect = api.TokenDialect;
        if (!existing.Scopes.Select(s => (s.Value, s.Description)).SequenceEqual(api.Scopes.Select(s => (s.Value, s.Description))))
        {
            existing.Scopes = api.Scopes;
        }
    }

    private void UpsertApplication(Dictionary<string, Application> applications, Application incoming, string? clientSecret)
    {
        if (!applications.TryGetValue(incoming.ClientId, out var existing))
        {
            existing = incoming;
            db.Add(existing);
            applications[incoming.ClientId] = existing;
        }
        else
        {
            existing.Name = incoming.Name;
            existing.Description = incoming.Description;
            existing.AppType = incoming.AppType;
            existing.Callbacks = incoming.Callbacks;
            existing.AllowedLogoutUrls = incoming.AllowedLogoutUrls;
            existing.WebOrigins = incoming.WebOrigins;
            existing.AllowedOrigins = incoming.AllowedOrigins;
            existing.GrantTypes = incoming.GrantTypes;
            existing.RefreshToken = incoming.RefreshToken;
            existing.TokenEndpointAuthMethod = incoming.TokenEndpointAuthMethod;
            existing.IsFirstParty = incoming.IsFirstParty;
            existing.IdTokenLifetime = incoming.IdTokenLifetime;
            existing.ClientMetadata = incoming.ClientMetadata;
        }

        if (existing.IsPublic)
        {
            existing.ClientSecretHash = null;
        }
        else if (clientSecret is not null)
        {
            if (existing.ClientSecretHash is null || secretHasher.Verify(clientSecret, existing.ClientSecretHash) != ClientSecretVerification.Success)
            {
                // A new or rotated secret, or the right one stored in an older format (upgraded here).
                existing.ClientSecretHash = secretHasher.Hash(clientSecret);
            }
        }
        else if (existing.ClientSecretHash is null)
        {
            // No secret in the file (an exported file carries none): the application gets one nobody knows until an
            // administrator rotates it (POST /api/v2/clients/{id}/rotate-secret), never an empty or guessable one.
            existing.ClientSecretHash = secretHasher.Hash(ClientSecrets.Generate());
            logger.LogWarning(
                "Application {ClientId} has no client_secret in the tenant file: it was given a random one; rotate it through the Management API to use it.",
                existing.ClientId);
        }
    }

    private void UpsertUser(Dictionary<string, User> users, Dictionary<string, Role> roles, UserDraft incoming)
    {
        var now = time.GetUtcNow();
        var normalized = EmailAddress.Normalize(incoming.Email);
        if (!users.TryGetValue(normalized, out var user))
        {
            user = User.Create(incoming.Email, now);
            db.Add(user);
            users[normalized] = user;
        }

        user.Email = incoming.Email;
        user.EmailVerified = incoming.EmailVerified ?? user.EmailVerified;
        user.Name = incoming.Name ?? user.Name;
        user.UserMetadata = incoming.UserMetadata ?? user.UserMetadata;
        user.AppMetadata = incoming.AppMetadata ?? user.AppMetadata;
        user.Blocked = incoming.Blocked ?? user.Blocked;
        if (incoming.Roles is not null)
        {
            var given = incoming.Roles.Select(name => roles[name].Id).ToHashSet();
            user.Roles.RemoveAll(r => !given.Contains(r.RoleId));
            user.Roles.AddRange(given.Where(id => !user.Roles.Exists(r => r.RoleId == id)).Select(id => new UserRole { UserId = user.UserId, RoleId = id }));
        }

        if (incoming.Permissions is not null)
        {
            var given = incoming.Permissions.Select(p => (p!.ResourceServerIdentifier!, p.PermissionName!)).ToHashSet();
            user.Permissions.RemoveAll(p => !given.Contains((p.ResourceServerIdentifier, p.PermissionName)));
            user.Permissions.AddRange(given
                .Where(g => !user.Permissions.Exists(p => (p.ResourceServerIdentifier, p.PermissionName) == g))
                .Select(g => new UserPermission { UserId = user.UserId, ResourceServerIdentifier = g.Item1, PermissionName = g.Item2 }));
        }

        if (incoming.Password is not null
            && (user.PasswordHash is null || passwordHasher.VerifyHashedPassword(user, user.PasswordHash, incoming.Password) != PasswordVerificationResult.Success))
        {
            user.PasswordHash = passwordHasher.HashPassword(user, incoming.Password);
        }

        // An imported hash gives a password to a user who has none; once the user has logged in (and the hash was
        // upgraded) the file no longer changes it, so a restart with the same file keeps the upgraded hash.
        if (incoming.PasswordHash is { } imported && user.PasswordHash is null)
        {
            user.PasswordHash = imported;
        }

        var entry = db.Entry(user);
        entry.DetectChanges();
        if (entry.State == EntityState.Modified)
        {
            user.UpdatedAt = now;
        }
    }
}
