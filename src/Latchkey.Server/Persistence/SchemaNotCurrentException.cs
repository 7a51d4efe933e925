namespace Latchkey.Server.Persistence;

/// <summary>Start-up with <c>Latchkey:Database:Migrate=false</c> found migrations this build needs that the database lacks.</summary>
public sealed class SchemaNotCurrentException(IReadOnlyList<string> pending)
    : Exception($"The database schema is not current: {pending.Count} migration(s) not applied ({string.Join(", ", pending)}). Run `Latchkey.Server migrate` (or `dotnet run --project src/Latchkey.Server -- migrate`) with the same connection string first.")
{
    public IReadOnlyList<string> Pending { get; } = pending;
}
