using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Users.Import;

/// <summary>
/// Turns what Auth0 hands a leaving tenant into users in Auth0's bulk-import schema, for <see cref="UserImporter"/>
/// (the <c>import-auth0</c> command): the users export (the user-export job's NDJSON, or a JSON array, with
/// <c>user_id</c> like <c>auth0|abc</c>) and the password-hash export (NDJSON from a support ticket:
/// <c>_id.$oid</c>, <c>email</c>, <c>email_verified</c>, <c>passwordHash</c>, <c>connection</c>). They are joined on
/// the id (<c>auth0|&lt;oid&gt;</c>), else on the email; the <c>auth0|</c> prefix is taken off because the import adds it back.
/// </summary>
internal static class Auth0Export
{
    private const string DatabasePrefix = UserImportRecord.IdProvider + "|";

    /// <summary>The profile members of the users export that the bulk-import schema takes.</summary>
    private static readonly string[] ProfileMembers =
        ["email", "email_verified", "given_name", "family_name", "name", "nickname", "picture", "blocked", "user_metadata", "app_metadata"];

    /// <summary>What the join made: the users to import and what was left out, for the operator.</summary>
    public sealed record Result(JsonArray Users, int SkippedOtherConnections, int SkippedSocial, int WithoutHash);

    /// <summary>The records of a file that is either NDJSON (one object a line) or a JSON array.</summary>
    /// <exception cref="FormatException">A line or the array is not JSON objects; the message names the line.</exception>
    public static List<JsonObject> ReadRecords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.TrimStart().StartsWith('['))
        {
            return Objects(Parse(text, "the file"), "the file");
        }

        var records = new List<JsonObject>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                records.Add(Parse(line, $"line {number}") as JsonObject ?? throw new FormatException($"line {number} is not a JSON object"));
            }
        }

        return records;
    }

    public static Result Join(IReadOnlyList<JsonObject> users, IReadOnlyList<JsonObject> hashes, string connection)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(hashes);
        int otherConnections = 0, social = 0;
        var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var byEmail = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var hash in hashes)
        {
            if (Text(hash, "connection") is { } name && name != connection)
            {
                otherConnections++;
                continue;
            }

            if ((hash["_id"] as JsonObject)?["$oid"] is JsonValue oid && oid.TryGetValue<string>(out var id))
            {
                byId[id] = hash;
            }

            if (Text(hash, "email") is { } email)
            {
                byEmail[EmailAddress.Normalize(email)] = hash;
            }
        }

        var imported = new JsonArray();
        var used = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        var withoutHash = 0;
        foreach (var user in users)
        {
            var userId = Text(user, "user_id");
            if (userId is not null && !userId.StartsWith(DatabasePrefix, StringComparison.Ordinal))
            {
                // google-oauth2|…, samlp|…: Latchkey has only the database connection.
                social++;
                continue;
            }

            var id = userId?[DatabasePrefix.Length..];
            var record = new JsonObject();
            if (id is not null)
            {
                record["user_id"] = id;
            }

            foreach (var member in ProfileMembers)
            {
                if (user[member] is { } value)
                {
                    record[member] = value.DeepClone();
                }
            }

            var hash = (id is not null ? byId.GetValueOrDefault(id) : null)
                ?? (Text(user, "email") is { } email ? byEmail.GetValueOrDefault(EmailAddress.Normalize(email)) : null);
            if (hash is not null && Text(hash, "passwordHash") is { } passwordHash)
            {
                record["password_hash"] = passwordHash;
                used.Add(hash);
            }
            else
            {
                withoutHash++;
            }

            imported.Add(record);
        }

        // Users only the hash export knows (the users export was partial, or not given).
        foreach (var hash in byId.Values.Concat(byEmail.Values).Distinct(ReferenceEqualityComparer.Instance).Cast<JsonObject>())
        {
            if (used.Contains(hash))
            {
                continue;
            }

            var record = new JsonObject();
            if ((hash["_id"] as JsonObject)?["$oid"] is JsonValue oid && oid.TryGetValue<string>(out var id))
            {
                record["user_id"] = id;
            }

            foreach (var member in new[] { "email", "email_verified" })
            {
                if (hash[member] is { } value)
                {
                    record[member] = value.DeepClone();
                }
            }

            if (Text(hash, "passwordHash") is { } passwordHash)
            {
                record["password_hash"] = passwordHash;
            }

            used.Add(hash);
            imported.Add(record);
        }

        return new Result(imported, otherConnections, social, withoutHash);
    }

    private static JsonNode? Parse(string json, string where)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{where} is not JSON: {ex.Message}", ex);
        }
    }

    private static List<JsonObject> Objects(JsonNode? node, string where) =>
        node is JsonArray array && array.All(item => item is JsonObject)
            ? array.Cast<JsonObject>().Select(o => (JsonObject)o.DeepClone()).ToList()
            : throw new FormatException($"{where} is not an array of JSON objects");

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
