// Namespaces nearly every file of this project uses, declared once so each file lists only its feature dependencies.
global using System.CommandLine;
global using System.Globalization;
