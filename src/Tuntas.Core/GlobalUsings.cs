// Namespaces nearly every file of this project uses, declared once so each file lists only its feature dependencies.
global using System.Globalization;
global using System.Text;
global using System.Text.Json;
global using Microsoft.EntityFrameworkCore;
global using Tuntas.Access;
global using Tuntas.Data;
