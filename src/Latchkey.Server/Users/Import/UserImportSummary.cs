using System.Text.Json.Serialization;

namespace Latchkey.Server.Users.Import;

/// <summary>Auth0's <c>summary</c> of a users import job.</summary>
internal sealed record UserImportSummary(
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("updated")] int Updated,
    [property: JsonPropertyName("inserted")] int Inserted,
    [property: JsonPropertyName("total")] int Total)
{
    public static readonly UserImportSummary Empty = new(0, 0, 0, 0);

    public UserImportSummary Add(UserImportSummary other) =>
        new(Failed + other.Failed, Updated + other.Updated, Inserted + other.Inserted, Total + other.Total);
}
