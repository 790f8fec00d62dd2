namespace Kefu;

/// <summary>Makes Kefu's 64-bit ids (C22): time-ordered, unique across nodes.</summary>
public interface IKefuIdGenerator
{
    /// <summary>
    /// Returns a new id for something created at <paramref name="now"/>, greater than every id this generator returned
    /// before (even when <paramref name="now"/> goes backwards).
    /// </summary>
    long NextId(DateTimeOffset now);
}
