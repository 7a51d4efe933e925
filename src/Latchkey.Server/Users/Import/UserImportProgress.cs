namespace Latchkey.Server.Users.Import;

/// <summary>
/// What an import did: <see cref="Processed"/> is the index of the next user of the file, so a job resumes there;
/// <see cref="Summary"/> and <see cref="Errors"/> cover the users handled (one batch in a checkpoint, all of them at the end).
/// </summary>
internal sealed record UserImportProgress(int Processed, UserImportSummary Summary, IReadOnlyList<UserImportError> Errors)
{
    public UserImportProgress Then(UserImportProgress next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new(next.Processed, Summary.Add(next.Summary), [.. Errors, .. next.Errors]);
    }
}
