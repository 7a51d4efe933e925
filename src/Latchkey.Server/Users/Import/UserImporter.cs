using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants.Rules;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Users.Import;

/// <summary>
/// The one importer of users in Auth0's bulk-import schema, used by <c>POST /api/v2/jobs/users-imports</c> (through
/// the job worker) and by the <c>import-auth0</c> command. Users are written in batches of <see cref="BatchSize"/>,
/// each batch one transaction with the caller's checkpoint (the job's progress), so a restart resumes after the last
/// saved batch and nothing is half-written; a user the rules refuse is reported and the others are written. Hashes are
/// stored as they come (never verified or re-hashed here: bcrypt at cost 10 is ~50–100 ms a hash); the first login
/// replaces them (<see cref="ImportedPasswordHasher"/>).
/// </summary>
internal sealed class UserImporter(LatchkeyDbContext db, TimeProvider time)
{
    public const int BatchSize = 500;

    /// <summary>Auth0's message when a user exists and the job was not started with <c>upsert</c>.</summary>
    public const string DuplicatedUserMessage = "The user already exist and upsert parameter is false";

    /// <summary>The users of an import file (a JSON array), or null with the reason it cannot be read.</summary>
    public static JsonArray? ParseFile(ReadOnlySpan<byte> utf8, out string? problem)
    {
        problem = null;
        try
        {
            if (JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) is JsonArray users)
            {
                return users;
            }

            problem = "The users file must contain a JSON array of users";
        }
        catch (JsonException ex)
        {
            problem = $"The users file is not valid JSON: {ex.Message}";
        }

        return null;
    }

    /// <summary>
    /// Imports <paramref name="users"/> from index <paramref name="start"/>. <paramref name="checkpoint"/> runs before
    /// each save with the batch's outcome, so the caller's own writes (the job's progress) commit with the batch.
    /// </summary>
    public async Task<UserImportProgress> ImportAsync(
        IList<JsonNode?> users,
        bool upsert,
        int start,
        Func<UserImportProgress, CancellationToken, Task>? checkpoint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        var total = new UserImportProgress(start, UserImportSummary.Empty, []);
        for (var offset = start; offset < users.Count; offset += BatchSize)
        {
            var batch = users.Skip(offset).Take(BatchSize).ToList();
            total = total.Then(await SaveBatchAsync(batch, offset, upsert, checkpoint, cancellationToken));
        }

        return total;
    }

    private async Task<UserImportProgress> SaveBatchAsync(
        List<JsonNode?> batch, int offset, bool upsert, Func<UserImportProgress, CancellationToken, Task>? checkpoint, CancellationToken cancellationToken)
    {
        var progress = await StageAsync(batch, offset, upsert, cancellationToken);
        try
        {
            if (checkpoint is not null)
            {
                await checkpoint(progress, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            return progress;
        }
        catch (DbUpdateException) when (batch.Count > 1)
        {
            // A concurrent write took an email or id this batch staged (the unique index refused the save, nothing was
            // written): one user per transaction finds which, and the others go in.
            db.ChangeTracker.Clear();
            var each = new UserImportProgress(offset, UserImportSummary.Empty, []);
            for (var i = 0; i < batch.Count; i++)
            {
                each = each.Then(await SaveBatchAsync([batch[i]], offset + i, upsert, checkpoint, cancellationToken));
            }

            return each;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var failed = new UserImportProgress(offset + 1, new(1, 0, 0, 1), [new(UserImportRecord.Echo(batch[0]), [new("DUPLICATED_USER", DuplicatedUserMessage, null)])]);
            if (checkpoint is not null)
            {
                await checkpoint(failed, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            return failed;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Adds or changes the batch's users in the change tracker (not saved) and reports what it did.</summary>
    private async Task<UserImportProgress> StageAsync(List<JsonNode?> batch, int offset, bool upsert, CancellationToken cancellationToken)
    {
        var errors = new List<UserImportError>();
        var records = new List<(JsonNode? Node, UserImportRecord? Record, List<UserImportProblem> Problems)>();
        foreach (var node in batch)
        {
            var problems = new List<UserImportProblem>();
            records.Add((node, UserImportRecord.Parse(node, problems), problems));
        }

        var emails = records.Where(r => r.Record is not null).Select(r => r.Record!.NormalizedEmail).Distinct().ToList();
        var ids = records.Select(r => r.Record?.UserId).OfType<string>().Distinct().ToList();
        var existing = await db.Set<User>()
            .Where(u => emails.Contains(u.NormalizedEmail) || ids.Contains(u.UserId))
            .ToListAsync(cancellationToken);
        var byEmail = existing.ToDictionary(u => u.NormalizedEmail, StringComparer.Ordinal);
        var byId = existing.ToDictionary(u => u.UserId, StringComparer.Ordinal);

        int inserted = 0, updated = 0;
        var now = time.GetUtcNow();
        foreach (var (node, record, problems) in records)
        {
            if (record is null)
            {
                errors.Add(new(UserImportRecord.Echo(node), problems));
                continue;
            }

            var match = byEmail.GetValueOrDefault(record.NormalizedEmail);
            var idOwner = record.UserId is { } id ? byId.GetValueOrDefault(id) : null;
            if (match is null && idOwner is null)
            {
                var user = User.Create(record.Email, now);
                user.UserId = record.UserId ?? user.UserId;
                user.EmailVerified = record.Flag("email_verified") ?? false;
                user.PasswordHash = record.PasswordHash;
                user.UserMetadata = record.Metadata("user_metadata")?.ToJsonString() ?? "{}";
                user.AppMetadata = record.Metadata("app_metadata")?.ToJsonString() ?? "{}";
                ApplyProfile(user, record);
                db.Add(user);
                byEmail[user.NormalizedEmail] = user;
                byId[user.UserId] = user;
                inserted++;
            }
            else if (!upsert)
            {
                errors.Add(new(UserImportRecord.Echo(node), [new("DUPLICATED_USER", DuplicatedUserMessage, null)]));
            }
            else if (match is null || (idOwner is not null && idOwner != match))
            {
                errors.Add(new(UserImportRecord.Echo(node), [new("DUPLICATED_USER", "The user_id belongs to another user", "user_id")]));
            }
            else
            {
                // Upsert changes the members the file gives, never the password (Auth0: an existing user keeps theirs).
                var userMetadata = Merged(match.UserMetadata, record.Metadata("user_metadata"));
                var appMetadata = Merged(match.AppMetadata, record.Metadata("app_metadata"));
                if ((UserRules.Metadata(userMetadata) ?? UserRules.Metadata(appMetadata)) is { } tooLarge)
                {
                    errors.Add(new(UserImportRecord.Echo(node), [new("INVALID_FORMAT", $"The merged metadata {tooLarge}", "user_metadata")]));
                    continue;
                }

                match.EmailVerified = record.Flag("email_verified") ?? match.EmailVerified;
                match.UserMetadata = userMetadata;
                match.AppMetadata = appMetadata;
                ApplyProfile(match, record);
                match.UpdatedAt = now;
                updated++;
            }
        }

        return new UserImportProgress(offset + batch.Count, new(errors.Count, updated, inserted, batch.Count), errors);
    }

    /// <summary>Auth0's root-level metadata merge (<see cref="UserMetadata.Merge"/>); an absent or empty object changes nothing.</summary>
    private static string Merged(string current, JsonObject? patch) => patch is { Count: > 0 } ? UserMetadata.Merge(current, patch) : current;

    private static void ApplyProfile(User user, UserImportRecord record)
    {
        user.GivenName = record.Text("given_name") ?? user.GivenName;
        user.FamilyName = record.Text("family_name") ?? user.FamilyName;
        user.Name = record.Text("name") ?? user.Name;
        user.Nickname = record.Text("nickname") ?? user.Nickname;
        user.Picture = record.Text("picture") ?? user.Picture;
        user.Blocked = record.Flag("blocked") ?? user.Blocked;
    }
}
