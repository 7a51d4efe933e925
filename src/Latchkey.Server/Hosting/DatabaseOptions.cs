namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Database</c>: which database and who migrates it.</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> or <c>postgres</c>; inferred from the connection string when absent.</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// Apply pending migrations at start-up (the default). Teams that migrate as a separate deployment step set it
    /// to <c>false</c> and run <c>Latchkey.Server migrate</c>; a node then refuses to start on an older schema.
    /// </summary>
    public bool Migrate { get; set; } = true;
}
