global using Kefu.Events;
