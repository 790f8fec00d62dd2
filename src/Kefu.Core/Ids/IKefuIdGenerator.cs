namespace Kefu;

/// <summary>Makes Kefu's 64-bit ids (C22): time-ordered, unique across nodes.</summary>
public interface IKefuIdGenerator
{
    /// <summary>Returns a new id, greater than every id this generator returned before.</summary>
    long NextId();
}
