namespace Latchkey.Server.Tenants;

/// <summary>
/// A tenant file that cannot be applied. <see cref="Exception.Message"/> is meant for the operator as is:
/// one line per problem, each naming the file, the JSON path and what is wrong
/// (<c>tenant.json: clients[2].callbacks[0]: "javascript:alert(1)" is not an absolute http(s) URL</c>).
/// </summary>
public sealed class TenantFileException : Exception
{
    public TenantFileException()
    {
    }

    public TenantFileException(string message)
        : base(message)
    {
    }

    public TenantFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TenantFileException(string file, IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => $"{file}: {p}")))
    {
        Problems = problems;
    }

    /// <summary>The problems without the file prefix: <c>path: what is wrong</c>.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
