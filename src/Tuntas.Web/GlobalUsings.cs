// Namespaces nearly every file of this project uses, declared once so each file lists only its feature dependencies.
global using System.Globalization;
global using System.Security.Claims;
global using Microsoft.AspNetCore.Mvc;
global using Microsoft.AspNetCore.Mvc.RazorPages;
global using Microsoft.EntityFrameworkCore;
global using Tuntas.Data;
global using Tuntas.Web.Security;
