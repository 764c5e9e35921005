namespace AudioEmbed.Core.Store;

/// <summary>A model that cannot be found, installed or loaded; the message says what to do about it.</summary>
public sealed class ModelStoreException : Exception
{
    public ModelStoreException(string message, Exception? inner = null) : base(message, inner) { }
}
